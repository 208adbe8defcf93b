package dev.pipescope.kernel;

import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.resolution.ResolutionErrorPolicy;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves Maven coordinates ({@code group:artifact:version}) and their runtime dependencies into jar
 * files, with Maven Resolver as Maven 3 resolves a project's dependencies: from Maven Central, or the
 * mirrors, extra repositories (of active profiles), proxies, credentials, offline flag and local
 * repository that the user's {@code ~/.m2/settings.xml} names.
 *
 * <p>Example: {@code MavenResolver.fromUserSettings().resolve(List.of("com.google.guava:guava:33.3.1-jre"))}
 * gives guava and the jars it needs, downloaded into the local repository ({@code ~/.m2/repository}).
 */
final class MavenResolver {

    static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    /** One resolved jar: its coordinates, its file, and the requested coordinates that brought it in. */
    record ResolvedJar(String groupId, String artifactId, String version, Path file, String requestedBy) {

        /** {@code group:artifact:version}. */
        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    private final Path settingsXml;
    private final Path defaultLocalRepository;

    /**
     * @param settingsXml            the user settings to read (need not exist: then Central and the default local repository)
     * @param defaultLocalRepository where artifacts go when the settings name no {@code localRepository}
     */
    MavenResolver(Path settingsXml, Path defaultLocalRepository) {
        this.settingsXml = settingsXml;
        this.defaultLocalRepository = defaultLocalRepository;
    }

    /** Reads {@code ~/.m2/settings.xml} (of {@code user.home}) and uses {@code ~/.m2/repository} by default, as Maven does. */
    static MavenResolver fromUserSettings() {
        Path m2 = Path.of(System.getProperty("user.home"), ".m2");
        return new MavenResolver(m2.resolve("settings.xml"), m2.resolve("repository"));
    }

    /**
     * Resolves {@code coordinates} with their runtime dependencies (compile and runtime scope, versions
     * mediated as Maven does: nearest wins).
     *
     * @param coordinates {@code group:artifact:version}, or {@code group:artifact:extension[:classifier]:version}
     * @return the jars, requested ones first, each once
     * @throws MagicError for coordinates that are not coordinates, an unreadable settings file, an artifact
     *                    no repository has, or a repository that cannot be reached (offline)
     */
    List<ResolvedJar> resolve(List<String> coordinates) {
        List<Dependency> requested = new ArrayList<>();
        for (String text : coordinates) {
            try {
                requested.add(new Dependency(new DefaultArtifact(text), JavaScopes.RUNTIME));
            } catch (IllegalArgumentException e) {
                throw new MagicError("%maven: '" + text + "' are not Maven coordinates; expected group:artifact:version "
                        + "(or group:artifact:extension[:classifier]:version), e.g. org.apache.commons:commons-csv:1.12.0");
            }
        }
        Settings settings = readSettings();
        RepositorySystem system = new RepositorySystemSupplier().get();
        try (RepositorySystemSession.CloseableSession session = newSession(system, settings)) {
            List<RemoteRepository> repositories = system.newResolutionRepositories(session, repositories(settings));
            CollectRequest collect = new CollectRequest(requested, List.of(), repositories);
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            DependencyResult result;
            try {
                result = system.resolveDependencies(session, request);
            } catch (DependencyResolutionException e) {
                String why = settings.isOffline()
                        ? "Maven is set offline (<offline>true</offline> in " + settingsXml + ") and the local repository "
                          + session.getLocalRepository().getBasePath() + " does not have everything: " + e.getMessage()
                        : explain(e, repositories);
                throw new MagicError("%maven could not resolve " + String.join(" ", coordinates) + ": " + why);
            }
            return jars(result);
        } finally {
            system.shutdown();
        }
    }

    private Settings readSettings() {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        if (Files.isRegularFile(settingsXml)) {
            request.setUserSettingsFile(settingsXml.toFile());
        }
        request.setSystemProperties(System.getProperties());
        try {
            return new DefaultSettingsBuilderFactory().newInstance().build(request).getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            throw new MagicError("%maven cannot read " + settingsXml + ": " + e.getMessage());
        }
    }

    private RepositorySystemSession.CloseableSession newSession(RepositorySystem system, Settings settings) {
        Path local = settings.getLocalRepository() == null || settings.getLocalRepository().isBlank()
                ? defaultLocalRepository : Path.of(settings.getLocalRepository());
        DefaultMirrorSelector mirrors = new DefaultMirrorSelector();
        for (Mirror mirror : settings.getMirrors()) {
            mirrors.add(mirror.getId(), mirror.getUrl(), mirror.getLayout(), false, mirror.isBlocked(),
                    mirror.getMirrorOf(), mirror.getMirrorOfLayouts());
        }
        DefaultProxySelector proxies = new DefaultProxySelector();
        for (org.apache.maven.settings.Proxy proxy : settings.getProxies()) {
            if (proxy.isActive()) {
                AuthenticationBuilder auth = new AuthenticationBuilder().addUsername(proxy.getUsername()).addPassword(proxy.getPassword());
                proxies.add(new Proxy(proxy.getProtocol(), proxy.getHost(), proxy.getPort(), auth.build()), proxy.getNonProxyHosts());
            }
        }
        DefaultAuthenticationSelector credentials = new DefaultAuthenticationSelector();
        for (Server server : settings.getServers()) {
            credentials.add(server.getId(), new AuthenticationBuilder().addUsername(server.getUsername())
                    .addPassword(server.getPassword()).addPrivateKey(server.getPrivateKey(), server.getPassphrase()).build());
        }
        return new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(local)
                .setOffline(settings.isOffline())
                // a notebook retries by running the cell again: a failure must not be remembered for a day as Maven does
                .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(ResolutionErrorPolicy.CACHE_DISABLED))
                .setMirrorSelector(mirrors)
                .setProxySelector(proxies)
                .setAuthenticationSelector(credentials)
                .setSystemProperties(System.getProperties())
                .build();
    }

    /** Central, then the repositories of the profiles the settings activate. */
    private static List<RemoteRepository> repositories(Settings settings) {
        List<RemoteRepository> repositories = new ArrayList<>();
        repositories.add(new RemoteRepository.Builder("central", "default", CENTRAL_URL).build());
        Set<String> active = new LinkedHashSet<>(settings.getActiveProfiles());
        for (Profile profile : settings.getProfiles()) {
            boolean byDefault = profile.getActivation() != null && profile.getActivation().isActiveByDefault();
            if (active.contains(profile.getId()) || byDefault) {
                for (org.apache.maven.settings.Repository repository : profile.getRepositories()) {
                    repositories.add(new RemoteRepository.Builder(repository.getId(), repository.getLayout(), repository.getUrl()).build());
                }
            }
        }
        return repositories;
    }

    /** The resolved jars in resolution order, each with the requested coordinates it came through. */
    private static List<ResolvedJar> jars(DependencyResult result) {
        Map<Artifact, String> requestedBy = new HashMap<>();
        for (DependencyNode top : result.getRoot().getChildren()) {
            String root = top.getArtifact() == null ? "" : coordinates(top.getArtifact());
            markRequestedBy(top, root, requestedBy);
        }
        List<ResolvedJar> jars = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ArtifactResult artifactResult : result.getArtifactResults()) {
            Artifact artifact = artifactResult.getArtifact();
            if (artifact == null || artifact.getPath() == null || !seen.add(coordinates(artifact))) {
                continue;
            }
            jars.add(new ResolvedJar(artifact.getGroupId(), artifact.getArtifactId(), artifact.getVersion(), artifact.getPath(),
                    requestedBy.getOrDefault(withoutFile(artifact), coordinates(artifact))));
        }
        return jars;
    }

    private static void markRequestedBy(DependencyNode node, String root, Map<Artifact, String> requestedBy) {
        if (node.getArtifact() != null) {
            requestedBy.putIfAbsent(withoutFile(node.getArtifact()), root);
        }
        for (DependencyNode child : node.getChildren()) {
            markRequestedBy(child, root, requestedBy);
        }
    }

    private static Artifact withoutFile(Artifact artifact) {
        return new DefaultArtifact(artifact.getGroupId(), artifact.getArtifactId(), artifact.getClassifier(),
                artifact.getExtension(), artifact.getVersion());
    }

    private static String coordinates(Artifact artifact) {
        return artifact.getGroupId() + ":" + artifact.getArtifactId() + ":" + artifact.getVersion();
    }

    /** Not found (which artifact, where looked) or not reachable (which repository, why), in one sentence. */
    private static String explain(DependencyResolutionException e, List<RemoteRepository> repositories) {
        String where = repositories.stream().map(r -> r.getId() + " (" + r.getUrl() + ")").reduce((a, b) -> a + ", " + b).orElse("no repository");
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ArtifactNotFoundException notFound) {
                return notFound.getArtifact() + " was not found in " + where;
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root == e ? e.getMessage() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return "cannot reach " + where + " (" + reason + "); offline, or a mirror in ~/.m2/settings.xml is needed";
    }
}
