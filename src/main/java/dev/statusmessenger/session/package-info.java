/** Session sockets: the {@code /ws/{session}} endpoint, its connections and their manager. */
package dev.statusmessenger.session;
