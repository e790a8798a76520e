/** The public Java API of status-messenger: inject {@link dev.statusmessenger.StatusMessenger}. */
package dev.statusmessenger;
