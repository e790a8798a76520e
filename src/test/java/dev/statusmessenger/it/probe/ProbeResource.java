package dev.statusmessenger.it.probe;

import dev.statusmessenger.Publication;
import dev.statusmessenger.StatusMessenger;
import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.platform.RawFrames;
import dev.statusmessenger.platform.SocketWriteBufferFix;
import dev.statusmessenger.platform.TyrusIdleTimeoutFix;
import dev.statusmessenger.session.ConnectionManager;
import dev.statusmessenger.stream.StreamKeys;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for a host application's JAX-RS resource that runs agent code: each method uses the
 * injected {@link StatusMessenger} the way an application would, without passing session ids.
 */
@Path("")
public class ProbeResource {

  @Inject StatusMessenger messenger;
  @Inject ProbeTool tool;
  @Inject ConnectionManager connections;
  @Inject CloseCodes closeCodes;
  @Inject Dispatcher dispatcher;
  @Resource ManagedExecutorService executor;

  /** The session comes from the {@code {session}} path parameter. */
  @POST
  @Path("{session}/status")
  public Response statusFromPath(@PathParam("session") String session, String text) {
    messenger.status(text);
    return Response.accepted().build();
  }

  /** The session comes from the bearer session token, or there is none (a 400 then). */
  @POST
  @Path("current/status")
  public Response statusFromToken(String text) {
    messenger.status(text);
    return Response.accepted().build();
  }

  /** The session follows work into the executor and into an {@code @Asynchronous} method. */
  @POST
  @Path("{session}/async")
  public Response statusFromAsyncWork(@PathParam("session") String session) {
    executor.submit(
        () -> {
          messenger.status("from the managed executor");
          tool.report("from an @Asynchronous method").join();
          messenger.event("async_done", Map.of("ok", true));
        });
    return Response.accepted().build();
  }

  /** A token for a host application's own session id, as its Java code would mint one. */
  @POST
  @Path("token/{id}")
  public String token(@PathParam("id") String id) {
    return messenger.issueToken(id);
  }

  /** A bulk publish from Java: a status to the first session, an event to the second. */
  @POST
  @Path("publish")
  public String publish(@QueryParam("sessions") String sessions) {
    String[] ids = sessions.split(",");
    return messenger
        .publish(
            java.util.List.of(
                Publication.status(ids[0], "bulk from java"),
                Publication.event(ids[1], "bulk", Map.of("to", ids[1]))))
        .toString();
  }

  /** What the WebSocket executor fix did at start: {@code applied}, {@code off} or why not. */
  @GET
  @Path("tyrus-executor-fix")
  public String tyrusExecutorFix(@Context ServletContext context) {
    return String.valueOf(context.getAttribute(TyrusIdleTimeoutFix.STATUS_ATTRIBUTE));
  }

  /** What the WebSocket write buffer fix did at the first handshake: {@code applied}, {@code off} or why not. */
  @GET
  @Path("socket-write-buffer-fix")
  public String socketWriteBufferFix(@Context ServletContext context) {
    return String.valueOf(context.getAttribute(SocketWriteBufferFix.STATUS_ATTRIBUTE));
  }

  /** What raw frame sends found at the first socket: {@code applied}, {@code off} or why not. */
  @GET
  @Path("raw-frames")
  public String rawFrames() {
    return String.valueOf(RawFrames.status());
  }

  /** How many sockets were given a raw sender. */
  @GET
  @Path("raw-frames/sockets")
  public long rawFrameSockets() {
    return RawFrames.sockets();
  }

  /** How many sockets on this node receive a session's or a task's stream. */
  @GET
  @Path("connections")
  public int connections(@QueryParam("session") String session, @QueryParam("task") String task) {
    return connections.connectionCount(task != null ? StreamKeys.task(task) : StreamKeys.session(session));
  }

  /**
   * What this node holds: authenticated sockets, sessions with sockets, and the heap in use after
   * a full collection, for the leak tests.
   */
  @GET
  @Path("footprint")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Long> footprint() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Map.of(
        "connections", (long) connections.connectionCount(),
        "sessions", (long) connections.sessionCount(),
        "heap", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  /** The close codes a session's sockets were given, as its @Disconnected observers saw them. */
  @GET
  @Path("closes")
  public String closes(@QueryParam("session") String session) {
    return closeCodes.of(session).toString();
  }

  /**
   * A burst from Java to a named session, as fast as the caller can produce: events carrying
   * {@code i} (default) or statuses {@code "status <i>x<padding>"}, each padded by {@code pad} bytes.
   * It answers once the dispatcher has handed every message to the sockets (at most a minute), so
   * that what a test does next does not race a dispatcher that a loaded machine slowed down.
   */
  @POST
  @Path("burst")
  public Response burst(
      @QueryParam("session") String session,
      @QueryParam("n") int n,
      @QueryParam("type") @DefaultValue("event") String type,
      @QueryParam("pad") @DefaultValue("0") int pad) {
    String padding = "p".repeat(pad);
    for (int i = 1; i <= n; i++) {
      if ("status".equals(type)) {
        messenger.to(session).status("status " + i + "x" + padding);
      } else {
        messenger.to(session).event("burst", Map.of("i", i, "pad", padding));
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (dispatcher.queued() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Response.accepted().build();
  }
}
