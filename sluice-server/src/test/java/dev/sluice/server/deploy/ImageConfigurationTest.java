package dev.sluice.server.deploy;

import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.HostAndPort;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jib configuration of the {@code image} profile (the built image itself is checked by
 * {@link ContainerImageIT}): an empty base with the jlinked runtime, a non-root numeric user, the container JVM
 * flags, the three ports, an entry point that runs {@code serve} with the config the image carries, and that
 * config read by Sluice's own parser, binding those ports.
 */
class ImageConfigurationTest {

    static Element jib() throws Exception {
        Path pom = RepositoryFiles.root().resolve("sluice-server/pom.xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(pom.toFile());
        NodeList profiles = doc.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if ("image".equals(text(profile, "id"))) {
                NodeList plugins = profile.getElementsByTagName("plugin");
                for (int j = 0; j < plugins.getLength(); j++) {
                    Element plugin = (Element) plugins.item(j);
                    if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                        return plugin;
                    }
                }
            }
        }
        throw new AssertionError("no jib-maven-plugin in the image profile of " + pom);
    }

    /** The image's user id ({@code <user>uid:gid</user>}). */
    static int imageUser() throws Exception {
        String user = text(jib(), "user");
        return Integer.parseInt(user.substring(0, user.indexOf(':') < 0 ? user.length() : user.indexOf(':')));
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    private static List<String> texts(Element parent, String tag) {
        List<String> out = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            out.add(n.getTextContent().trim());
        }
        return out;
    }

    @Test
    void theImageRunsServeAsANonRootUserWithContainerAwareMemory() throws Exception {
        Element jib = jib();
        assertThat(text(jib, "version")).isEqualTo("3.5.2");
        Element from = (Element) jib.getElementsByTagName("from").item(0);
        assertThat(text(from, "image")).isEqualTo("scratch"); // nothing pulled: the runtime is in image-root
        assertThat(imageUser()).isPositive();
        Element entrypoint = (Element) jib.getElementsByTagName("entrypoint").item(0);
        List<String> command = texts(entrypoint, "arg");
        assertThat(command).startsWith("/opt/java/bin/java").contains("-XX:MaxRAMPercentage=75",
                "-XX:+UseContainerSupport", "-cp", "@/app/jib-classpath-file");
        Method main = Class.forName(command.get(command.size() - 1)).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
        Element args = (Element) jib.getElementsByTagName("args").item(0);
        assertThat(texts(args, "arg")).containsExactly("serve", "--config", "/etc/sluice/sluice.yaml");
        assertThat(texts(jib, "port")).containsExactly("27017", "27018", "8080");
        assertThat(texts(jib, "goal")).containsExactly("buildTar");
    }

    @Test
    void theImageStartsTheJvmAsTheLauncherDoes() throws Exception {
        String launcher = Files.readString(RepositoryFiles.root().resolve("sluice"));
        Matcher defaults = Pattern.compile("\\$\\{SLUICE_JAVA_OPTS:-([^}]*)}").matcher(launcher);
        assertThat(defaults.find()).as("./sluice's default JVM options").isTrue();
        List<String> options = List.of(defaults.group(1).trim().split("\\s+"));
        assertThat(options).contains("-XX:+UseSerialGC", "-Xmn32m"); // the young generation measured in BENCHMARKS.md
        Element entrypoint = (Element) jib().getElementsByTagName("entrypoint").item(0);
        assertThat(texts(entrypoint, "arg")).containsAll(options);
    }

    @Test
    void theConfigInTheImageIsValidAndBindsTheExposedPortsOnAllInterfaces() throws Exception {
        Path file = RepositoryFiles.root().resolve("sluice-server/src/main/jib/etc/sluice/sluice.yaml");
        ConfigFile config = ConfigFile.read(file);
        HostAndPort listen = HostAndPort.parse(config.listen(), "listen");
        HostAndPort http = HostAndPort.parse(config.http(), "http");
        assertThat(texts(jib(), "port")).contains(Integer.toString(listen.port()), Integer.toString(http.port()));
        if (config.net() != null && config.net().loadBalancedListen() != null) {
            assertThat(texts(jib(), "port")).contains(Integer.toString(
                    HostAndPort.parse(config.net().loadBalancedListen(), "net.loadBalancedListen").port()));
        }
        assertThat(listen.host()).isEqualTo("0.0.0.0");
        assertThat(http.host()).isEqualTo("0.0.0.0");
        assertThat(config.security().authorization())
                .as("beyond loopback the HTTP connector needs authorization").isEqualTo("enabled");
    }
}
