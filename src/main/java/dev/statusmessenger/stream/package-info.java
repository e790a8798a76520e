/** Streams: each session's ordered messages, current status and bounded history. */
package dev.statusmessenger.stream;
