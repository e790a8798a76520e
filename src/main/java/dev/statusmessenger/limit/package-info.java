/** Abuse limits: token buckets for client messages and for session creation per address. */
package dev.statusmessenger.limit;
