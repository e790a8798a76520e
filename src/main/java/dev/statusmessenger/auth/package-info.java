/** Authentication: session ids, HMAC session tokens and producer keys. */
package dev.statusmessenger.auth;
