package dev.statusmessenger.task;

import java.time.Instant;

/**
 * A unit of work whose log people can watch.
 *
 * @param id the task id (minted, unguessable)
 * @param description what the task does
 * @param parent the parent task's id, or null for a top-level task
 * @param session the session the task belongs to (its token reads the log), or null
 * @param createdAt when it was created
 */
public record Task(String id, String description, String parent, String session, Instant createdAt) {}
