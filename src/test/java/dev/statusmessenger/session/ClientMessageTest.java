package dev.statusmessenger.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.wire.ErrorCode;
import org.junit.jupiter.api.Test;

class ClientMessageTest {

  @Test
  void anAuthMessageGivesItsFields() throws Exception {
    ClientMessage m = ClientMessage.parse("{\"type\":\"auth\",\"token\":\"t\",\"since\":7,\"batch\":true}");
    assertEquals("auth", m.type());
    assertEquals("t", m.string("token"));
    assertEquals(7L, m.cursor("since"));
    assertTrue(m.flag("batch"));
  }

  @Test
  void absentOptionalFieldsAreNullOrFalse() throws Exception {
    ClientMessage m = ClientMessage.parse("{\"type\":\"auth\"}");
    assertNull(m.string("token"));
    assertNull(m.cursor("since"));
    assertFalse(m.flag("batch"));
  }

  @Test
  void invalidJsonIsNamedAsSuch() {
    for (String text : new String[] {"", "{", "nope", "{\"type\":}", "\u0000", "[1,2"}) {
      ClientMessage.InvalidClientMessage e =
          assertThrows(ClientMessage.InvalidClientMessage.class, () -> ClientMessage.parse(text));
      assertEquals(ErrorCode.INVALID_JSON, e.code, text);
    }
  }

  @Test
  void jsonThatIsNotAnObjectWithATypeIsInvalid() {
    for (String text : new String[] {"[]", "42", "\"ping\"", "null", "{}", "{\"type\":3}", "{\"type\":null}"}) {
      ClientMessage.InvalidClientMessage e =
          assertThrows(ClientMessage.InvalidClientMessage.class, () -> ClientMessage.parse(text));
      assertEquals(ErrorCode.INVALID_MESSAGE, e.code, text);
    }
  }

  @Test
  void wrongFieldTypesAndHugeNumbersAreInvalid() throws Exception {
    ClientMessage m =
        ClientMessage.parse(
            "{\"type\":\"auth\",\"token\":5,\"since\":-1,\"batch\":\"yes\",\"big\":1e400,"
                + "\"huge\":123456789012345678901234567890,\"frac\":1.5}");
    assertThrows(ClientMessage.InvalidClientMessage.class, () -> m.string("token"));
    assertThrows(ClientMessage.InvalidClientMessage.class, () -> m.cursor("since"));
    assertThrows(ClientMessage.InvalidClientMessage.class, () -> m.flag("batch"));
    assertThrows(ClientMessage.InvalidClientMessage.class, () -> m.cursor("huge"));
    assertThrows(ClientMessage.InvalidClientMessage.class, () -> m.cursor("frac"));
    assertThrows(ClientMessage.InvalidClientMessage.class, () -> m.cursor("big"));
  }

  @Test
  void deepNestingIsRefusedNotACrash() {
    String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThrows(ClientMessage.InvalidClientMessage.class, () -> ClientMessage.parse(deep));
  }
}
