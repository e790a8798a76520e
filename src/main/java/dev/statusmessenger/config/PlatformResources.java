package dev.statusmessenger.config;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.transaction.TransactionSynchronizationRegistry;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The platform's default resources, looked up by their standard JNDI names. Looked up rather than
 * injected with {@code @Resource}: in library mode these classes sit in a host application's
 * {@code WEB-INF/lib}, where Payara does not bind {@code @Resource} fields of CDI beans.
 */
public final class PlatformResources {

  private PlatformResources() {}

  public static ManagedExecutorService executor() {
    return lookup("java:comp/DefaultManagedExecutorService", ManagedExecutorService.class);
  }

  public static ManagedScheduledExecutorService scheduler() {
    return lookup(
        "java:comp/DefaultManagedScheduledExecutorService", ManagedScheduledExecutorService.class);
  }

  public static ManagedThreadFactory threadFactory() {
    return lookup("java:comp/DefaultManagedThreadFactory", ManagedThreadFactory.class);
  }

  /** The JTA registry, or null on a platform without JTA (messages are then never deferred). */
  public static TransactionSynchronizationRegistry transactions() {
    try {
      return InitialContext.doLookup("java:comp/TransactionSynchronizationRegistry");
    } catch (NamingException | RuntimeException absent) {
      return null;
    }
  }

  private static <T> T lookup(String name, Class<T> type) {
    try {
      return type.cast(InitialContext.doLookup(name));
    } catch (NamingException e) {
      throw new IllegalStateException("The platform has no " + name, e);
    }
  }
}
