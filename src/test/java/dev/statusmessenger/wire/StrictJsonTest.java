package dev.statusmessenger.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  private static StrictJson.Fault faultOf(String text) {
    return assertThrows(StrictJson.InvalidJson.class, () -> StrictJson.parse(text)).fault();
  }

  @Test
  void aPlainObjectParses() throws Exception {
    JsonObject o = (JsonObject) StrictJson.parse("{\"a\":1,\"b\":[1.5,-2e10,\"x\"],\"c\":{\"d\":null}}");
    assertEquals(1, o.getInt("a"));
  }

  @Test
  void duplicateKeysAreRefusedAtAnyLevel() {
    assertEquals(StrictJson.Fault.DUPLICATE_KEY, faultOf("{\"type\":\"ping\",\"type\":\"auth\"}"));
    assertEquals(StrictJson.Fault.DUPLICATE_KEY, faultOf("{\"a\":{\"b\":1,\"b\":2}}"));
  }

  @Test
  void hugeNumbersAreRefusedWithoutExpandingThem() {
    assertEquals(StrictJson.Fault.NUMBER_OUT_OF_RANGE, faultOf("{\"n\":1e999999999}"));
    assertEquals(StrictJson.Fault.NUMBER_OUT_OF_RANGE, faultOf("{\"n\":1e-999999999}"));
    assertEquals(StrictJson.Fault.NUMBER_OUT_OF_RANGE, faultOf("[" + "9".repeat(5000) + "]"));
  }

  @Test
  void deepNestingAndMalformedInputAreFaultsNotCrashes() {
    assertEquals(StrictJson.Fault.TOO_DEEP, faultOf("[".repeat(100_000)));
    assertEquals(StrictJson.Fault.MALFORMED, faultOf("{\"a\":"));
    assertEquals(StrictJson.Fault.MALFORMED, faultOf(""));
    assertEquals(StrictJson.Fault.MALFORMED, faultOf("{} {}"));
    assertEquals(StrictJson.Fault.MALFORMED, faultOf("{\"a\":\"\u0001\"}"));
  }

  @Test
  void invalidUtf8IsRefusedNotReplaced() throws Exception {
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertEquals(
        StrictJson.Fault.INVALID_UTF8,
        assertThrows(StrictJson.InvalidJson.class, () -> StrictJson.decodeUtf8(bad)).fault());
    assertEquals("{\"é\":1}", StrictJson.decodeUtf8("{\"é\":1}".getBytes(StandardCharsets.UTF_8)));
  }
}
