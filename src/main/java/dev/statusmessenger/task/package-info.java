/** Tasks: units of work with subtasks, whose logs people watch live. */
package dev.statusmessenger.task;
