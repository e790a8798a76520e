package dev.statusmessenger.session;

/**
 * What an operator socket receives first, once its producer key is accepted: the whole recent
 * picture (the ops package's snapshot with its history), so the page can draw at once.
 */
public interface OperatorFeed {

  /** The {@code ops} frame with every sample still held. */
  String greeting();
}
