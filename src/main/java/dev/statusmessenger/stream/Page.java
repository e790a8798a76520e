package dev.statusmessenger.stream;

import java.util.List;

/**
 * A page of a stream's history.
 *
 * @param messages the messages after the requested cursor, oldest first
 * @param seq where to go on from: the last message's {@code seq}, or the stream's position
 * @param reset whether history no longer reaches back to the requested cursor
 */
public record Page(List<Message> messages, long seq, boolean reset) {}
