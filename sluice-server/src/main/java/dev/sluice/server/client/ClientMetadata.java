package dev.sluice.server.client;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What a client says about itself in the handshake's {@code client} document: driver name and
 * version, application name. Recorded as the connection's userAgent; never forwarded upstream.
 */
public record ClientMetadata(String driverName, String driverVersion, String appName) {

    public static final ClientMetadata NONE = new ClientMetadata(null, null, null);

    /** Reads {@code client} from a handshake command; missing or malformed parts are left null. */
    public static ClientMetadata from(BsonDocument hello) {
        BsonValue client = hello.get("client");
        if (client == null || !client.isDocument()) {
            return NONE;
        }
        BsonDocument c = client.asDocument();
        String name = null;
        String version = null;
        BsonValue driver = c.get("driver");
        if (driver != null && driver.isDocument()) {
            name = string(driver.asDocument().get("name"));
            version = string(driver.asDocument().get("version"));
        }
        String app = null;
        BsonValue application = c.get("application");
        if (application != null && application.isDocument()) {
            app = string(application.asDocument().get("name"));
        }
        return new ClientMetadata(name, version, app);
    }

    /** "driver/version" or null. */
    public String driver() {
        if (driverName == null) {
            return null;
        }
        return driverVersion == null ? driverName : driverName + "/" + driverVersion;
    }

    /** e.g. {@code mongo-java-driver|sync/5.2.1 myApp}. */
    public String userAgent() {
        String d = driver();
        if (d == null) {
            return appName;
        }
        return appName == null ? d : d + " " + appName;
    }

    private static String string(BsonValue v) {
        return v != null && v.isString() ? v.asString().getValue() : null;
    }
}
