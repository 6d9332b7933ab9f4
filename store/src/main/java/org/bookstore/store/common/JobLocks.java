package org.bookstore.store.common;

import java.time.Duration;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Scheduled jobs that must run on one instance at a time, whichever instances are up: each pass takes its job's lock
 * row in the database (ShedLock's {@code shedlock} table, timed by the database's clock), and an instance that finds it
 * taken skips its pass. The lock is held at least {@code lockAtLeastFor}, so instances whose schedules are a moment
 * apart do not each run the job, and at most {@code lockAtMostFor}, so an instance that died holding it does not stop
 * the job for good.
 * <p>
 * Taken here rather than through ShedLock's {@code @SchedulerLock}: its Spring integration put an AOP advisor in front
 * of every bean, and checking each method of each of the store's beans against it, for three methods, was part of every
 * start.
 */
@Component
public class JobLocks {

    private final LockingTaskExecutor executor;

    JobLocks(LockProvider locks) {
        this.executor = new DefaultLockingTaskExecutor(locks);
    }

    /** Runs the job unless another instance holds its lock; returns whether it ran. */
    public boolean runAlone(String name, Duration lockAtMostFor, Duration lockAtLeastFor, Runnable job) {
        try {
            return executor.executeWithLock(() -> {
                job.run();
                return null;
            }, new LockConfiguration(ClockProvider.now(), name, lockAtMostFor, lockAtLeastFor)).wasExecuted();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            // The job is a Runnable: nothing else can come out of it.
            throw new IllegalStateException(impossible);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Provider {

        @Bean
        LockProvider lockProvider(DataSource dataSource) {
            return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                    .withJdbcTemplate(new JdbcTemplate(dataSource))
                    .usingDbTime()
                    .build());
        }
    }
}
