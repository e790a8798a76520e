package dev.statusmessenger.platform;

import dev.statusmessenger.config.ConfigKeys;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * This listener gives the WebSocket container of this application a plain scheduled executor in
 * place of the container-managed one, because Tyrus reschedules a session's idle-timeout task on
 * every frame it sends and each schedule on a managed executor captures the thread context (a
 * {@code ServiceLoader} scan among it): that alone cost ~70 µs of CPU per frame sent.
 *
 * <p>The Tyrus inside Payara (tyrus-core 2.1.5.payara-p2) keeps that executor in the private field
 * {@code BaseContainer.managedScheduledExecutorService}, looked up at
 * {@code java:comp/DefaultManagedScheduledExecutorService}; neither Payara's settings for that
 * executor nor binding the name in the WAR avoids the per-schedule context capture (see
 * docs/performance.md). The replacement runs on threads from the container's
 * {@code DefaultManagedThreadFactory}, so idle-timeout callbacks still run with the application's
 * context, and drops cancelled tasks from its queue at once.
 *
 * <p>Switch it off with {@code status-messenger.tyrus-executor-fix=false}. Where the container is
 * not that Tyrus, or its fields differ, it logs why and leaves the container as it is. What it did
 * is in the servlet context attribute {@link #STATUS_ATTRIBUTE}; an integration test fails when a
 * Payara upgrade makes it step aside.
 */
@WebListener
public class TyrusIdleTimeoutFix implements ServletContextListener {

  /** Servlet context attribute holding the outcome: {@code applied}, {@code off} or why not. */
  public static final String STATUS_ATTRIBUTE = ConfigKeys.TYRUS_EXECUTOR_FIX;

  static final String APPLIED = "applied";
  static final String OFF = "off";

  private static final Logger LOG = Logger.getLogger(TyrusIdleTimeoutFix.class.getName());
  private static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";
  private static final String BASE_CONTAINER = "org.glassfish.tyrus.core.BaseContainer";
  private static final String EXECUTOR_FIELD = "managedScheduledExecutorService";
  private static final String THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
  private static final int THREADS = 2;

  private ScheduledThreadPoolExecutor replacement;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    String status = apply(context);
    context.setAttribute(STATUS_ATTRIBUTE, status);
    if (APPLIED.equals(status)) {
      LOG.info("WebSocket idle-timeout scheduling runs on a plain executor (see docs/performance.md)");
    } else if (!OFF.equals(status)) {
      LOG.log(Level.WARNING, "WebSocket executor fix not applied, sending stays slower: {0}", status);
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (replacement != null) {
      replacement.shutdown(); // later schedules (sockets closing at shutdown) are discarded
    }
  }

  private String apply(ServletContext context) {
    if (!Switch.isOn(ConfigKeys.TYRUS_EXECUTOR_FIX)) {
      return OFF;
    }
    Object container = context.getAttribute(SERVER_CONTAINER);
    if (container == null) {
      return "no WebSocket server container in the servlet context";
    }
    Field field = executorField(container.getClass());
    if (field == null) {
      return "the container " + container.getClass().getName() + " has no " + BASE_CONTAINER + "."
          + EXECUTOR_FIELD + " field";
    }
    try {
      field.setAccessible(true);
      Object current = field.get(container);
      if (current == null) {
        return "the container has no managed scheduled executor (it already uses its own)";
      }
      ThreadFactory threads = (ThreadFactory) new InitialContext().lookup(THREAD_FACTORY);
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(THREADS, threads, new ScheduledThreadPoolExecutor.DiscardPolicy());
      executor.setRemoveOnCancelPolicy(true); // every send cancels the previous idle task
      executor.setKeepAliveTime(1, TimeUnit.MINUTES);
      field.set(container, executor);
      if (field.get(container) != executor) {
        executor.shutdown();
        return "the field did not take the new executor";
      }
      replacement = executor;
      return APPLIED;
    } catch (NamingException | ClassCastException e) {
      return "no " + THREAD_FACTORY + ": " + e;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "the container refused the change: " + e;
    }
  }

  /** The private executor field of Tyrus's BaseContainer, where the container is one; else null. */
  private static Field executorField(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (BASE_CONTAINER.equals(c.getName())) {
        try {
          Field field = c.getDeclaredField(EXECUTOR_FIELD);
          return ScheduledExecutorService.class.isAssignableFrom(field.getType()) ? field : null;
        } catch (NoSuchFieldException e) {
          return null;
        }
      }
    }
    return null;
  }
}
