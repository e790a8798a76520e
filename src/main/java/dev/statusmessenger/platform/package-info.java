/** Workarounds for the platform under the product, each one small, switchable and documented. */
package dev.statusmessenger.platform;
