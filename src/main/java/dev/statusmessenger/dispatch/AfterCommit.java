package dev.statusmessenger.dispatch;

import dev.statusmessenger.config.PlatformResources;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ties the Java API's messages to the caller's JTA transaction: a message posted inside one is
 * ordered and delivered only once it commits, and never if it rolls back; outside a transaction it
 * is published at once. Built on a CDI transactional observer ({@code AFTER_SUCCESS}).
 */
@ApplicationScoped
public class AfterCommit {

  private static final Logger LOG = Logger.getLogger(AfterCommit.class.getName());

  /** A checked message waiting for its transaction to commit. */
  record Pending(Runnable publication) {}

  @Inject Event<Pending> pending;
  @Inject Publisher publisher;

  private TransactionSynchronizationRegistry transactions;

  @PostConstruct
  void platformResources() {
    transactions = PlatformResources.transactions();
  }

  /**
   * Runs the publication now, or after the current transaction commits.
   *
   * @return true if it ran now; false if it waits for the transaction (or, where the transaction
   *     is already marked for rollback, is dropped with it)
   */
  public boolean publish(Runnable publication) {
    int status = transactions == null ? Status.STATUS_NO_TRANSACTION : transactions.getTransactionStatus();
    if (status == Status.STATUS_ACTIVE) {
      publisher.requireCapacity(); // refuse now rather than lose it at the commit
      pending.fire(new Pending(publication));
      return false;
    }
    if (status == Status.STATUS_MARKED_ROLLBACK) {
      return false; // it will roll back: the message goes with it
    }
    publication.run();
    return true;
  }

  void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Pending message) {
    try {
      message.publication().run();
    } catch (RuntimeException e) {
      // the transaction has committed: nobody is left to throw to, so say so loudly
      LOG.log(Level.WARNING, "A message of a committed transaction could not be published", e);
    }
  }
}
