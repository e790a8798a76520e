package dev.statusmessenger.session;

/**
 * A socket of a session connected ({@link Connected}) or went away ({@link Disconnected}).
 *
 * @param sessionId the session
 * @param connectionId the socket's id, unique on this node
 * @param closeCode the close code, for a disconnect; 0 for a connect
 */
public record ConnectionEvent(String sessionId, String connectionId, int closeCode) {}
