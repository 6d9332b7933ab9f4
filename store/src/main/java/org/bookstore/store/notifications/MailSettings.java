package org.bookstore.store.notifications;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code bookstore.notifications.*}: who the mails come from and say they are from, where the admins' mails go,
 * and how sending is paced. The SMTP server itself is Spring Boot's {@code spring.mail.*}.
 *
 * @param adminEmail addresses that receive the admins' mails, besides every account whose role is ADMIN
 * @param adminOrderPath where the back office shows an order ({@code {id}} is its number), linked from the admins' mails
 * @param paymentFailedAfter how long after a failed payment the buyer is told, if the order is still unpaid by then
 * @param sendingLease how long an instance may take to send one mail before another instance may send it again
 * @param resubmitOlderThan how old an unfinished event publication must be before it is handed to its listener again
 */
@ConfigurationProperties("bookstore.notifications")
record MailSettings(
        @DefaultValue("Bookstore") String shopName,
        @DefaultValue("") String shopAddress,
        @DefaultValue("Bookstore <bookstore@localhost>") String from,
        @DefaultValue("") List<String> adminEmail,
        @DefaultValue("/admin/orders/{id}") String adminOrderPath,
        @DefaultValue("PT10M") Duration paymentFailedAfter,
        @DefaultValue("PT10S") Duration sendEvery,
        @DefaultValue("PT30S") Duration retryFirstAfter,
        @DefaultValue("PT30M") Duration retryAtMostEvery,
        @DefaultValue("PT2M") Duration sendingLease,
        @DefaultValue("PT1M") Duration resubmitEvery,
        @DefaultValue("PT1M") Duration resubmitOlderThan) {

    MailSettings {
        adminEmail = adminEmail == null ? List.of() : adminEmail.stream().map(String::strip).filter(address -> !address.isEmpty()).toList();
    }
}
