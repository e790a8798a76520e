/** The current session: bound at the boundaries (socket, HTTP), carried into managed async work. */
package dev.statusmessenger.context;
