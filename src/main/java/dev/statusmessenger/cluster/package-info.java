/**
 * The cluster: with Payara's data grid (Hazelcast) present, streams, tasks and idempotency keys
 * live in the grid with a backup copy, and every node's dispatcher is fed by one grid topic, so
 * several Payara Micro nodes act as one service. Without the grid, nothing here is used.
 */
package dev.statusmessenger.cluster;
