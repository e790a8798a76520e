/** Configuration: every key in {@link dev.statusmessenger.config.ConfigKeys}, read through MicroProfile Config. */
package dev.statusmessenger.config;
