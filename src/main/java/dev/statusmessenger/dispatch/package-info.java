/** From producers to sockets: the publisher orders messages, the dispatcher's lanes deliver them. */
package dev.statusmessenger.dispatch;
