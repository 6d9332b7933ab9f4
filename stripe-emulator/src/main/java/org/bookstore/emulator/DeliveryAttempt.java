package org.bookstore.emulator;

/**
 * One attempt to deliver an event to a webhook endpoint.
 *
 * @param deliveryId the delivery (one event to one endpoint) this attempt belongs to
 * @param eventId the event delivered
 * @param eventType the event's type
 * @param endpointId the webhook endpoint
 * @param url the endpoint URL
 * @param attempt 1 for the first attempt, 2 for the first retry, ...
 * @param startedAt epoch milliseconds when the attempt started
 * @param statusCode the receiver's HTTP status, or null when no response came
 * @param error a transport error or timeout, else null
 * @param durationMillis how long the attempt took
 * @param succeeded whether the receiver answered 2xx
 * @param signatureCorrupted whether the attempt carried a deliberately broken signature
 */
public record DeliveryAttempt(String deliveryId, String eventId, String eventType, String endpointId, String url,
        int attempt, long startedAt, Integer statusCode, String error, long durationMillis, boolean succeeded,
        boolean signatureCorrupted) {}
