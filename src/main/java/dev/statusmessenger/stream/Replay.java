package dev.statusmessenger.stream;

import java.util.List;

/**
 * What a connection receives before live messages: the messages it missed (or the current status),
 * and whether its cursor could not be served whole, in which case it gets a {@code reset} first.
 *
 * @param seq the stream's position at the time of the replay; live delivery continues after it
 * @param reset whether history no longer reaches back to the requested cursor
 * @param messages the messages to send, oldest first
 */
public record Replay(long seq, boolean reset, List<Message> messages) {}
