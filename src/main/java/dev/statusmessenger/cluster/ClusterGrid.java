package dev.statusmessenger.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.ReliableTopicConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.TopicOverloadPolicy;
import dev.statusmessenger.config.ConfigKeys;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.config.PlatformResources;
import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.session.ConnectionManager;
import dev.statusmessenger.wire.CloseCode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * This bean connects status-messenger to Payara's data grid, where there is one: Payara Micro binds
 * its Hazelcast instance at {@value #HAZELCAST_JNDI}, and finds other members unless started with
 * {@code --nocluster}.
 * With the grid (and {@code status-messenger.cluster} not {@code off}), streams, tasks and
 * idempotency answers live in grid maps with one backup, and the grid topic feeds this node's
 * dispatcher; without it, everything stays in this node's memory and this bean does nothing.
 */
@ApplicationScoped
public class ClusterGrid {

  /** Where Payara binds its Hazelcast instance. */
  static final String HAZELCAST_JNDI = "payara/Hazelcast";

  static final String STREAMS = "status-messenger.streams";
  static final String TASK_STREAMS = "status-messenger.task-streams";
  static final String HISTORY = "status-messenger.history";
  static final String TASKS = "status-messenger.tasks";
  static final String ANSWERS = "status-messenger.idempotency";
  static final String BUS = "status-messenger.bus";

  /** Messages the topic keeps for nodes that fall behind; past that, they resume from history. */
  static final int BUS_CAPACITY = 10_000;

  /**
   * How long the topic keeps a message: the topic is the live channel, history is the store. A
   * node further behind than this resumes its sockets from history, as past {@link #BUS_CAPACITY};
   * without it a quiet cluster kept up to 10,000 frames on every node for good, past their
   * history's TTL, and at 1,000 messages/s each frame outlived two young collections.
   */
  static final int BUS_TTL_SECONDS = 5;

  /**
   * The longest a node waits between reads of the positions of the streams it watches: this bounds
   * how late the last message of a stream arrives when its publication was lost (see {@link
   * GridBus}).
   */
  static final Duration CATCH_UP_EVERY = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(ClusterGrid.class.getName());

  @Inject MessengerConfig config;
  @Inject Dispatcher dispatcher;
  @Inject ConnectionManager connections;


  private HazelcastInstance hazelcast;
  private GridStreams streams;
  private GridTasks tasks;
  private GridAnswers answers;
  private GridBus bus;
  private ITopic<String> topic;
  private UUID listener;
  private UUID members;
  private WatchedKeepAlive watchedKeepAlive;
  private ScheduledFuture<?> keepAlive;

  @PostConstruct
  void connect() {
    String mode = config.cluster();
    if (mode.equals("off")) {
      return;
    }
    hazelcast = lookUpGrid();
    if (hazelcast == null) {
      if (mode.equals("on")) {
        throw new IllegalStateException(
            ConfigKeys.CLUSTER + " is 'on' but Payara's data grid is not running;"
                + " start Payara Micro without --nocluster");
      }
      return;
    }
    if (mode.equals("auto") && !clusteringEnabled(hazelcast.getConfig())) {
      LOG.fine("Payara runs its data grid with clustering off (--nocluster): streams stay in memory");
      hazelcast = null;
      return;
    }
    configure(hazelcast.getConfig(), config);
    outsideTheApplication(
        () -> {
          topic = hazelcast.getReliableTopic(BUS);
          streams =
              new GridStreams(
                  hazelcast.getMap(STREAMS), hazelcast.getMap(TASK_STREAMS), hazelcast.getMap(HISTORY), topic,
                  config);
          tasks = new GridTasks(hazelcast.getMap(TASKS), config::taskHistoryTtl);
          answers = new GridAnswers(hazelcast.getMap(ANSWERS));
        });
  }

  /**
   * Creates the grid's maps and topic on a thread that carries no application invocation. Payara
   * ties a grid object created inside one to the application (Hazelcast's tenant control) and then
   * sets up the application's context, a CDI request context among it, around every operation on
   * it on every member, backups included: a quarter of the cluster's CPU per message in the S4
   * benchmark. Only strings go into these objects, so they need no application context.
   */
  private static void outsideTheApplication(Runnable create) {
    RuntimeException[] failure = new RuntimeException[1];
    Thread setup =
        new Thread(
            null,
            () -> {
              try {
                create.run();
              } catch (RuntimeException e) {
                failure[0] = e;
              }
            },
            "status-messenger-grid-setup",
            0,
            false); // inherits no thread locals: Payara's current invocation among them
    setup.start();
    try {
      setup.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while connecting to the data grid", e);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
    if (hazelcast == null) {
      LOG.info("status-messenger runs on this node alone: streams and tasks are in memory");
      return;
    }
    bus =
        new GridBus(
            dispatcher, streams, this::resumeEverySocket, connections::hasConnections,
            connections::lowestCursor, this::resumeStream, PlatformResources.scheduler());
    watchedKeepAlive = // before the membership listener, which runs it when a member leaves
        new WatchedKeepAlive(connections::watchedStreams, streams, tasks, bus, config, CATCH_UP_EVERY.toMillis());
    listener = topic.addMessageListener(bus);
    members = hazelcast.getCluster().addMembershipListener(new CatchUpWhenAMemberLeaves());
    long every = watchedKeepAlive.every();
    keepAlive = PlatformResources.scheduler().scheduleWithFixedDelay(watchedKeepAlive, every, every, TimeUnit.MILLISECONDS);
    LOG.info(
        () ->
            "status-messenger runs as a cluster through Payara's data grid ("
                + hazelcast.getCluster().getMembers().size()
                + " members now): streams, tasks and idempotency keys are in the grid");
    if (config.authEnabled() && config.tokenSecret().isEmpty()) {
      LOG.warning(
          ConfigKeys.TOKEN_SECRET + " is not set: a token minted on this node is refused by the"
              + " others. Set STATUS_MESSENGER_TOKEN_SECRET to the same value on every node.");
    }
  }

  void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object application) {
    if (keepAlive != null) {
      keepAlive.cancel(false);
    }
    if (listener != null) {
      try {
        hazelcast.getCluster().removeMembershipListener(members);
        topic.removeMessageListener(listener);
      } catch (RuntimeException gridGone) {
        LOG.log(Level.FINE, "The grid stopped before the application", gridGone);
      }
    }
  }

  /** Whether this node uses the data grid. */
  public boolean isActive() {
    return hazelcast != null;
  }

  /** The streams in the grid, or null where this node runs alone. */
  public GridStreams streams() {
    return streams;
  }

  /** The tasks in the grid, or null where this node runs alone. */
  public GridTasks tasks() {
    return tasks;
  }

  /** The idempotency answers in the grid, or null where this node runs alone. */
  public GridAnswers answers() {
    return answers;
  }

  /** Whether this node can serve: alone, or a running member of the grid. */
  public boolean isJoined() {
    try {
      return hazelcast == null || hazelcast.getLifecycleService().isRunning();
    } catch (RuntimeException gridGone) {
      return false;
    }
  }

  /** Members of the grid, 1 where this node runs alone. */
  public int members() {
    return hazelcast == null ? 1 : hazelcast.getCluster().getMembers().size();
  }

  /** The topic dropped messages before this node read them: every socket resumes from history. */
  private void resumeEverySocket() {
    LOG.warning("This node fell behind the cluster topic; its sockets are closed to resume");
    PlatformResources.executor().execute(
        () ->
            connections.closeAll(
                CloseCode.TRY_AGAIN_LATER, "fell behind: resume from your last seq", Duration.ofSeconds(1)));
  }

  /** A member that left may have claimed messages it never published: read what is missing now. */
  private final class CatchUpWhenAMemberLeaves implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      // a new member publishes from now on; nothing of it is missing
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      PlatformResources.executor().execute(watchedKeepAlive);
    }
  }

  /** A stream lost messages for good (their node died mid-append): its sockets resume from history. */
  private void resumeStream(String streamKey) {
    connections.closeStream(streamKey, CloseCode.TRY_AGAIN_LATER, "missed messages: resume from your last seq");
  }

  /** The grid's maps and topic; stream entries expire when idle for their history's TTL. */
  static void configure(Config grid, MessengerConfig config) {
    addMap(grid, new MapConfig(STREAMS).setMaxIdleSeconds(seconds(config.historyTtl())));
    addMap(grid, new MapConfig(TASK_STREAMS).setMaxIdleSeconds(seconds(config.taskHistoryTtl())));
    addMap(grid, new MapConfig(HISTORY));
    addMap(grid, new MapConfig(TASKS));
    addMap(grid, new MapConfig(ANSWERS));
    try {
      // Hazelcast looks up a reliable topic's ring buffer configuration by the topic's own name
      // (RingbufferService strips the "_hz_rb_" of the ring buffer's name): one named after the
      // ring buffer is never used, and the topic ran on the defaults.
      grid.addRingBufferConfig(
          new RingbufferConfig(BUS)
              .setCapacity(BUS_CAPACITY)
              .setTimeToLiveSeconds(BUS_TTL_SECONDS)
              .setBackupCount(1));
      grid.addReliableTopicConfig(
          new ReliableTopicConfig(BUS)
              .setTopicOverloadPolicy(TopicOverloadPolicy.DISCARD_OLDEST)
              .setReadBatchSize(64));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The grid refused the topic's configuration; its defaults apply", e);
    }
  }

  private static void addMap(Config grid, MapConfig map) {
    try {
      grid.addMapConfig(map.setBackupCount(1).setReadBackupData(false));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The grid refused the configuration of " + map.getName() + "; its defaults apply", e);
    }
  }

  private static int seconds(Duration ttl) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, ttl.toSeconds()));
  }

  /**
   * Whether Payara started its grid to find other members. With {@code --nocluster} Payara Micro
   * still runs a Hazelcast member of its own, but leaves Hazelcast's auto-detection join on; with
   * clustering on (any {@code --clustermode}) it always turns auto-detection off and sets its join.
   */
  static boolean clusteringEnabled(Config grid) {
    return !grid.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled();
  }

  private static HazelcastInstance lookUpGrid() {
    try {
      Object found = InitialContext.doLookup(HAZELCAST_JNDI);
      if (found instanceof HazelcastInstance instance && instance.getLifecycleService().isRunning()) {
        return instance;
      }
    } catch (NamingException | RuntimeException | LinkageError noGrid) {
      LOG.log(Level.FINE, "No data grid at " + HAZELCAST_JNDI, noGrid);
    }
    return null;
  }
}
