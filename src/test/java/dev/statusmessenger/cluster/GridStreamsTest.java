package dev.statusmessenger.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.Replay;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The grid streams on two real Hazelcast members in this JVM (the Hazelcast Payara Micro ships,
 * clustered over loopback), each with its own topic listener and dispatcher, as two nodes have.
 */
class GridStreamsTest {

  private static final MessengerConfig CONFIG =
      MessengerConfig.of(
          Map.of(
              "status-messenger.history-size", "100000", "status-messenger.history-ttl", "1h",
              "status-messenger.task-history-ttl", "2h"));

  private static HazelcastInstance memberA;
  private static HazelcastInstance memberB;
  private static ScheduledExecutorService timer;
  private static Node nodeA;
  private static Node nodeB;

  @BeforeAll
  static void startTwoMembers() {
    String cluster = "grid-streams-test-" + UUID.randomUUID();
    int portA = freePort();
    int portB = freePort();
    memberA = Hazelcast.newHazelcastInstance(memberConfig(cluster, portA, portB, CONFIG));
    memberB = Hazelcast.newHazelcastInstance(memberConfig(cluster, portB, portA, CONFIG));
    assertEquals(2, memberA.getCluster().getMembers().size(), "both members joined one cluster");
    timer = Executors.newSingleThreadScheduledExecutor();
    nodeA = new Node(memberA);
    nodeB = new Node(memberB);
  }

  @AfterAll
  static void stopMembers() {
    for (Node node : new Node[] {nodeA, nodeB}) {
      if (node != null) {
        node.stop();
      }
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    for (HazelcastInstance member : new HazelcastInstance[] {memberB, memberA}) {
      if (member != null) {
        member.shutdown();
      }
    }
  }

  @Test
  void theTopicKeepsAMessageForItsTtlAndThenLetsItGo() throws Exception {
    Ringbuffer<Object> ring = memberA.getRingbuffer("_hz_rb_" + ClusterGrid.BUS); // the topic's own
    assertEquals(ClusterGrid.BUS_CAPACITY, ring.capacity());
    Message probe = new MessageDraft.Status("kept for a while").seal("ttl-probe-" + UUID.randomUUID(), 1, java.time.Instant.now());
    memberB.<String>getReliableTopic(ClusterGrid.BUS).publish(GridCodec.toBus(probe));
    long publishedAt = System.nanoTime();
    long published = ring.tailSequence();
    assertTrue(ring.headSequence() <= published, "the topic holds the message it was given");

    long deadline = publishedAt + TimeUnit.SECONDS.toNanos(ClusterGrid.BUS_TTL_SECONDS + 15L);
    while (ring.headSequence() <= published && System.nanoTime() < deadline) { // a read expires what is due
      Thread.sleep(200);
    }
    long keptMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishedAt);
    assertTrue(
        ring.headSequence() > published,
        "the message is still on the topic after " + keptMillis + " ms: its configuration (a "
            + ClusterGrid.BUS_TTL_SECONDS + " s TTL) is not the one the topic runs on");
    assertTrue(keptMillis >= ClusterGrid.BUS_TTL_SECONDS * 1000L - 500, "kept only " + keptMillis + " ms");
  }

  @Test
  void streamsAndTasksWatchedOnANodeOutliveTheirIdleTtlWhileUnwatchedOnesExpire() throws Exception {
    MessengerConfig shortTtl =
        MessengerConfig.of(
            Map.of("status-messenger.history-ttl", "5s", "status-messenger.task-history-ttl", "5s"));
    String cluster = "keep-alive-test-" + UUID.randomUUID(); // the maps' idle expiry is set when a member starts
    int portA = freePort();
    int portB = freePort();
    HazelcastInstance shortA = Hazelcast.newHazelcastInstance(memberConfig(cluster, portA, portB, shortTtl));
    HazelcastInstance shortB = Hazelcast.newHazelcastInstance(memberConfig(cluster, portB, portA, shortTtl));
    try {
      GridStreams streamsA = streamsOn(shortA, shortTtl);
      GridTasks tasksA = new GridTasks(shortA.getMap(ClusterGrid.TASKS), shortTtl::taskHistoryTtl);
      String watchedTask = "kept";
      String idleTask = "idle";
      String watchedSession = StreamKeys.session("kept");
      String idleSession = StreamKeys.session("idle");
      for (String id : List.of(watchedTask, idleTask)) { // created and written on node A
        tasksA.put(new Task(id, "a task", null, null, java.time.Instant.now()));
        streamsA.append(StreamKeys.task(id), List.of(new MessageDraft.Status("working")));
      }
      for (String key : List.of(watchedSession, idleSession)) {
        streamsA.append(key, List.of(new MessageDraft.Status("working")));
      }

      GridStreams streamsB = streamsOn(shortB, shortTtl);
      GridBus busB = // the positions read are what this test is not about: no stream is caught up here
          new GridBus(new Dispatcher(1, 1_000), streamsB, () -> {}, key -> false, key -> -1, key -> {}, timer);
      WatchedKeepAlive keepAlive = // node B has a socket on one task and one session
          new WatchedKeepAlive(
              () -> java.util.Set.of(StreamKeys.task(watchedTask), watchedSession), streamsB,
              new GridTasks(shortB.getMap(ClusterGrid.TASKS), shortTtl::taskHistoryTtl), busB, shortTtl,
              ClusterGrid.CATCH_UP_EVERY.toMillis());
      assertEquals(1250, keepAlive.every(), "runs at a quarter of the 5 s TTL");
      MessengerConfig shorterTtl =
          MessengerConfig.of(
              Map.of("status-messenger.history-ttl", "3s", "status-messenger.task-history-ttl", "3s"));
      assertEquals(
          1000, new WatchedKeepAlive(java.util.Set::of, null, null, null, shorterTtl, 5000).every(),
          "but not more often than every second");
      var running = timer.scheduleWithFixedDelay(keepAlive, 0, keepAlive.every(), TimeUnit.MILLISECONDS);
      try {
        Thread.sleep(12_000); // over twice the TTL: an entry nobody reads is gone by then
      } finally {
        running.cancel(false);
      }

      IMap<String, String> taskStreams = shortA.getMap(ClusterGrid.TASK_STREAMS);
      IMap<String, String> sessionStreams = shortA.getMap(ClusterGrid.STREAMS);
      assertTrue(tasksA.find(watchedTask).isPresent(), "the watched task is kept");
      assertTrue(taskStreams.containsKey(StreamKeys.task(watchedTask)), "the watched task's log is kept");
      assertTrue(sessionStreams.containsKey(watchedSession), "the watched session's stream is kept");
      assertFalse(tasksA.find(idleTask).isPresent(), "a task nobody watches expires after its TTL");
      assertFalse(taskStreams.containsKey(StreamKeys.task(idleTask)), "so does its log");
      assertFalse(sessionStreams.containsKey(idleSession), "and a session stream nobody watches");
    } finally {
      shortB.shutdown();
      shortA.shutdown();
    }
  }

  @Test
  void appendsFromBothNodesToTheSameStreamsReachEveryNodeInSeqOrderWithoutGapOrRepeat() throws Exception {
    String prefix = "session:race-" + UUID.randomUUID() + "-";
    int streamCount = 4;
    int perThread = 150;
    List<Thread> producers = new ArrayList<>();
    for (Node node : List.of(nodeA, nodeB)) {
      for (int t = 0; t < 3; t++) {
        int thread = t;
        producers.add(
            new Thread(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    String key = prefix + (i + thread) % streamCount;
                    node.streams.append(key, List.of(new MessageDraft.Status("from " + node + " " + i)));
                  }
                }));
      }
    }
    producers.forEach(Thread::start);
    for (Thread t : producers) {
      t.join(60_000);
    }
    int total = 2 * 3 * perThread;
    for (Node node : List.of(nodeA, nodeB)) {
      node.awaitDelivered(prefix, total);
      long sum = 0;
      for (int s = 0; s < streamCount; s++) {
        List<Long> seqs = node.delivered(prefix + s);
        for (int i = 0; i < seqs.size(); i++) {
          assertEquals(i + 1, seqs.get(i), node + " passed stream " + s + " on out of order: " + seqs);
        }
        sum += seqs.size();
        assertEquals(seqs.size(), nodeA.streams.seq(prefix + s), "the stream's position counts every append");
      }
      assertEquals(total, sum, node + " passed on every message once");
    }
    assertTrue(nodeA.holes.isEmpty() && nodeB.holes.isEmpty(), "no hole was reported");
  }

  @Test
  void theStreamEntryKeepsItsIdleExpiryAcrossAppends() {
    String key = "session:expiry-" + UUID.randomUUID();
    nodeA.streams.append(key, List.of(new MessageDraft.Status("one")));
    nodeB.streams.append(key, List.of(new MessageDraft.Status("two")));
    nodeA.streams.append(key, List.of(new MessageDraft.Status("three")));
    IMap<String, String> map = memberA.getMap(ClusterGrid.STREAMS);
    assertEquals(TimeUnit.HOURS.toMillis(1), map.getEntryView(key).getMaxIdle(), "expires when idle for the history TTL");
    assertEquals(3, nodeB.streams.seq(key));

    String task = StreamKeys.task("expiry-" + UUID.randomUUID());
    nodeA.streams.append(task, List.of(new MessageDraft.Status("one")));
    nodeB.streams.append(task, List.of(new MessageDraft.Status("two")));
    IMap<String, String> tasks = memberB.getMap(ClusterGrid.TASK_STREAMS);
    assertEquals(TimeUnit.HOURS.toMillis(2), tasks.getEntryView(task).getMaxIdle(), "a task log expires with the task TTL");
    assertEquals(2, nodeA.streams.seq(task));
  }

  @Test
  void aSeqClaimedButNeverPublishedIsReadFromHistoryWhenItsSlotWasStored() throws Exception {
    String key = watchedStreamAtOne("session:slot-only-");
    Message lost = claimWithoutPublishing(key, true);
    nodeB.streams.append(key, List.of(new MessageDraft.Status("3")));
    nodeA.awaitDelivered(key, 3);
    assertEquals(List.of(1L, 2L, 3L), nodeA.delivered(key));
    assertEquals(lost.frame(), nodeA.frames(key).get(1), "the missing message came from history");
    assertFalse(nodeA.holes.contains(key));
  }

  @Test
  void aSeqThatNeverReachedTheGridClosesTheStreamsSocketsAndLaterMessagesFlowOn() throws Exception {
    String key = watchedStreamAtOne("session:hole-");
    claimWithoutPublishing(key, false);
    nodeB.streams.append(key, List.of(new MessageDraft.Status("3")));
    nodeB.streams.append(key, List.of(new MessageDraft.Status("4")));
    long deadline = System.nanoTime() + GridBus.GAP_LIMIT.plusSeconds(10).toNanos();
    while (nodeA.delivered(key).size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(List.of(1L, 3L, 4L), nodeA.delivered(key), "held until the gap was given up, then in order");
    assertTrue(nodeA.holes.contains(key), "the stream's sockets were told to resume");
    Replay replay = nodeA.streams.replay(key, 1L);
    assertTrue(replay.reset(), "a resume across the hole is told reset, never a silent gap");
    Replay after = nodeA.streams.replay(key, 3L);
    assertFalse(after.reset());
    assertEquals(List.of(4L), after.messages().stream().map(Message::seq).toList());
  }

  @Test
  void theLastMessageOfAStreamWhosePublicationWasLostArrivesWhenTheNodeCatchesUp() throws Exception {
    String key = watchedStreamAtOne("session:tail-");
    Message lost = claimWithoutPublishing(key, true);
    Thread.sleep(GridBus.GAP_GRACE.toMillis() * 2);
    assertEquals(List.of(1L), nodeA.delivered(key), "no later message shows the gap");
    nodeA.catchUp();
    nodeA.awaitDelivered(key, 2);
    assertEquals(List.of(1L, 2L), nodeA.delivered(key));
    assertEquals(lost.frame(), nodeA.frames(key).get(1), "the missing message came from history");
    nodeA.catchUp(); // nothing missing now: nothing passed on twice
    nodeB.streams.append(key, List.of(new MessageDraft.Status("3")));
    nodeA.awaitDelivered(key, 3);
    Thread.sleep(GridBus.GAP_GRACE.toMillis() * 2);
    assertEquals(List.of(1L, 2L, 3L), nodeA.delivered(key), "each once, in order");
    assertFalse(nodeA.holes.contains(key));
  }

  @Test
  void aLastMessageHistoryDoesNotHoldEitherClosesTheStreamsSocketsAfterTheGapLimit() throws Exception {
    String key = watchedStreamAtOne("session:tail-hole-");
    claimWithoutPublishing(key, false);
    nodeA.catchUp();
    long deadline = System.nanoTime() + GridBus.GAP_LIMIT.plusSeconds(10).toNanos();
    while (!nodeA.holes.contains(key) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(nodeA.holes.contains(key), "the stream's sockets were told to resume");
    assertEquals(List.of(1L), nodeA.delivered(key), "nothing was made up for the hole");
    nodeB.streams.append(key, List.of(new MessageDraft.Status("3")));
    nodeA.awaitDelivered(key, 2);
    assertEquals(List.of(1L, 3L), nodeA.delivered(key), "later messages flow on");
  }

  /** Takes the next seq as a node that dies mid-append would: stored (or not) but never published. */
  private static Message claimWithoutPublishing(String key, boolean storeSlot) {
    IMap<String, String> states = memberB.getMap(ClusterGrid.STREAMS);
    String state = states.get(key);
    long seq = Long.parseLong(state.substring(0, state.indexOf('\n'))) + 1;
    Message message = new MessageDraft.Status(String.valueOf(seq)).seal(key, seq, java.time.Instant.now());
    states.put(key, seq + "\n" + message.frame());
    if (storeSlot) {
      memberB.<String, String>getMap(ClusterGrid.HISTORY).put(key + '#' + seq, GridCodec.toSlot(message));
    }
    return message;
  }

  /** A new stream both nodes watch, with its first message appended on node A and passed on there. */
  private static String watchedStreamAtOne(String prefix) throws InterruptedException {
    String key = prefix + UUID.randomUUID();
    nodeA.watched.add(key);
    nodeB.watched.add(key);
    nodeA.streams.append(key, List.of(new MessageDraft.Status("1")));
    nodeA.awaitDelivered(key, 1);
    return key;
  }

  private static Config memberConfig(String cluster, int port, int otherPort, MessengerConfig messenger) {
    Config config = new Config().setClusterName(cluster);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port).addMember("127.0.0.1:" + otherPort);
    ClusterGrid.configure(config, messenger);
    return config;
  }

  private static GridStreams streamsOn(HazelcastInstance member, MessengerConfig config) {
    return new GridStreams(
        member.getMap(ClusterGrid.STREAMS), member.getMap(ClusterGrid.TASK_STREAMS),
        member.getMap(ClusterGrid.HISTORY), member.<String>getReliableTopic(ClusterGrid.BUS), config);
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One node: its streams, its topic listener and a dispatcher that records what it passes on. */
  private static final class Node {
    final GridStreams streams;
    final Dispatcher dispatcher = new Dispatcher(2, 1_000_000);
    final Map<String, List<Message>> passed = new ConcurrentHashMap<>();
    final List<String> holes = new CopyOnWriteArrayList<>();
    final java.util.Set<String> watched = ConcurrentHashMap.newKeySet();
    final String name;
    private final HazelcastInstance member;
    private final UUID listener;
    private final GridBus bus;

    Node(HazelcastInstance member) {
      this.member = member;
      this.name = member.getCluster().getLocalMember().getAddress().toString();
      var topic = member.<String>getReliableTopic(ClusterGrid.BUS);
      streams = streamsOn(member, CONFIG);
      dispatcher.start(
          m -> passed.computeIfAbsent(m.stream(), k -> new CopyOnWriteArrayList<>()).add(m), Thread::new);
      bus =
          new GridBus(
              dispatcher, streams, () -> {}, key -> key.contains("race-") || watched.contains(key),
              key -> 0, holes::add, timer); // as if a socket was ready on every stream from its start
      listener = topic.addMessageListener(bus);
    }

    List<Long> delivered(String key) {
      return passed.getOrDefault(key, List.of()).stream().map(Message::seq).toList();
    }

    List<String> frames(String key) {
      return passed.getOrDefault(key, List.of()).stream().map(Message::frame).toList();
    }

    /** What the node's keep-alive does: reads the watched streams' positions and catches up. */
    void catchUp() {
      bus.catchUp(streams.touch(watched));
    }

    void awaitDelivered(String keyOrPrefix, int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        int sum = 0;
        for (Map.Entry<String, List<Message>> e : passed.entrySet()) {
          if (e.getKey().startsWith(keyOrPrefix)) {
            sum += e.getValue().size();
          }
        }
        if (sum >= count) {
          return;
        }
        Thread.sleep(20);
      }
    }

    void stop() {
      member.getReliableTopic(ClusterGrid.BUS).removeMessageListener(listener);
      dispatcher.stop(1, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
