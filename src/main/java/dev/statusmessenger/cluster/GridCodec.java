package dev.statusmessenger.cluster;

import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.wire.JsonPlatform;
import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * Encodes messages for the grid as plain strings (the JSON frame every socket sends, with its
 * stream), and decodes them back. Only JDK types go into the grid, so no node needs the
 * application's classes on Hazelcast's class path.
 */
final class GridCodec {

  private GridCodec() {}

  /**
   * A message as the grid topic carries it: its stream key, {@code seq}, timestamp (epoch millis)
   * and type, each followed by a newline, then its frame. The header lets every node deliver the
   * message without parsing its JSON (a JSON parse and an {@code Instant.parse} per message per node
   * were a fifth of a receiving node's allocation in the S4 benchmark).
   */
  static String toBus(Message message) {
    return message.stream() + '\n' + message.seq() + '\n' + message.tsMillis() + '\n' + message.type()
        + '\n' + message.frame();
  }

  /** The stream key of a message on the topic, without decoding the message. */
  static String streamOnBus(String payload) {
    return payload.substring(0, payload.indexOf('\n'));
  }

  /** The message of a topic payload; its content is decoded from the frame only if asked for. */
  static Message fromBus(String payload) {
    return decode(payload, -1);
  }

  /** The message of a topic payload or history slot if it is message {@code seq} (any where -1). */
  private static Message decode(String payload, long seq) {
    int streamEnd = payload.indexOf('\n');
    int seqEnd = payload.indexOf('\n', streamEnd + 1);
    long found = Long.parseLong(payload, streamEnd + 1, seqEnd, 10);
    if (seq >= 0 && found != seq) {
      return null;
    }
    int tsEnd = payload.indexOf('\n', seqEnd + 1);
    int typeEnd = payload.indexOf('\n', tsEnd + 1);
    return Message.received(
        payload.substring(0, streamEnd),
        found,
        Long.parseLong(payload, seqEnd + 1, tsEnd, 10),
        payload.substring(tsEnd + 1, typeEnd),
        payload.substring(typeEnd + 1),
        System.nanoTime());
  }

  /**
   * A history slot's value: the message as the topic carries it, so a replay rebuilds it without
   * parsing its JSON either.
   */
  static String toSlot(Message message) {
    return toBus(message);
  }

  /** Whether a history slot's value holds message {@code seq} (a ring's slot is reused). */
  static boolean slotHolds(String slot, long seq) {
    if (slot == null) {
      return false;
    }
    int streamEnd = slot.indexOf('\n');
    int seqEnd = slot.indexOf('\n', streamEnd + 1);
    return seqEnd > 0 && Long.parseLong(slot, streamEnd + 1, seqEnd, 10) == seq;
  }

  /** The message in a history slot where it holds message {@code seq}, or null (overwritten). */
  static Message messageInSlot(String slot, long seq) {
    return slot == null ? null : decode(slot, seq);
  }

  /**
   * Rebuilds a message from its frame alone (a stream's current status, kept as its frame): the
   * frame says everything the message holds.
   */
  static Message fromFrame(String stream, String frame) {
    JsonObject o = JsonPlatform.parseObject(frame);
    return new Message(
        stream, o.getJsonNumber("seq").longValue(), Instant.parse(o.getString("ts")),
        MessageDraft.fromFrame(o), frame, System.nanoTime());
  }
}
