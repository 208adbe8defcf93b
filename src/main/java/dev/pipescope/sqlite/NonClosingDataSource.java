package dev.pipescope.sqlite;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** Hands Flyway the one connection of a {@code :memory:} database without letting it close it. */
public final class NonClosingDataSource implements DataSource {
    private final Connection connection;

    public NonClosingDataSource(Connection target) {
        this.connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override public Connection getConnection() { return connection; }
    @Override public Connection getConnection(String user, String password) { return connection; }
    @Override public PrintWriter getLogWriter() { return null; }
    @Override public void setLogWriter(PrintWriter out) { }
    @Override public void setLoginTimeout(int seconds) { }
    @Override public int getLoginTimeout() { return 0; }
    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }
    @Override public <T> T unwrap(Class<T> type) { return type.cast(connection); }
    @Override public boolean isWrapperFor(Class<?> type) { return type.isInstance(connection); }
}
