package dev.statusmessenger.ops;

import java.util.List;

/**
 * One interval of this node's traffic, as the operator page charts it: messages in and out by
 * type ({@code status}, {@code event}, {@code log}, in that order), frames dropped and coalesced,
 * refused credentials, delivery latency percentiles, the counts at its end, and its busiest
 * streams.
 *
 * @param endMillis when the interval ended (epoch milliseconds)
 * @param latency p50, p95, p99 and max in nanoseconds; null where nothing was delivered
 */
record OpsSample(
    long endMillis,
    long[] in,
    long[] out,
    long dropped,
    long coalesced,
    long authFailures,
    long[] latency,
    int connections,
    int queueDepth,
    List<TrafficWindow.StreamCount> sessions,
    List<TrafficWindow.StreamCount> tasks) {}
