import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Runs SQL statements against the store's database, H2 or PostgreSQL, with the drivers the store ships; prints the
 * rows of a query tab-separated (NULL as \N), or nothing for an update. For the benchmarks, on the command line:
 *
 * <pre>java -cp 'store/target/aot/lib/*' bench/Sql.java URL USER PASSWORD 'SQL' ['SQL' ...]</pre>
 *
 * H2's file database is reached while the store runs only if the store opened it with AUTO_SERVER=TRUE.
 */
public class Sql {
    public static void main(String[] args) throws Exception {
        try (Connection db = DriverManager.getConnection(args[0], args[1], args[2]); Statement statement = db.createStatement()) {
            for (int i = 3; i < args.length; i++) {
                if (!statement.execute(args[i])) {
                    continue;
                }
                try (ResultSet rows = statement.getResultSet()) {
                    int columns = rows.getMetaData().getColumnCount();
                    StringBuilder out = new StringBuilder();
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            String value = rows.getString(c);
                            out.append(c > 1 ? "\t" : "").append(value == null ? "\\N" : value.replace('\t', ' ').replace('\n', ' '));
                        }
                        out.append('\n');
                    }
                    System.out.print(out);
                }
            }
        }
    }
}
