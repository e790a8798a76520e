/**
 * Export of events to Google Cloud Pub/Sub: {@link dev.statusmessenger.pubsub.PubSubExport} takes
 * each accepted event off the producer's thread into a bounded queue, and {@link
 * dev.statusmessenger.pubsub.EventExporter} publishes it through a {@link
 * dev.statusmessenger.pubsub.TopicClient}, retrying with backoff. The Google client lives only in
 * {@code pubsub.google}, loaded by name when the export is on (docs/pubsub.md).
 */
package dev.statusmessenger.pubsub;
