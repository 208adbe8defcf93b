package dev.pipescope.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Turns values into display data: bundles as they are, types with a registered renderer (from an
 * integration) through it, everything else through jjava's renderer (images as PNG, text otherwise).
 */
final class Renderers {

    private record Registration(Class<?> type, Function<Object, MimeBundle> render) {
    }

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, Registration> resolved = new ConcurrentHashMap<>();
    private final Renderer fallback;

    Renderers(Renderer fallback) {
        this.fallback = fallback;
    }

    @SuppressWarnings("unchecked")
    <T> void register(Class<T> type, Function<? super T, MimeBundle> render) {
        registrations.add(0, new Registration(type, value -> render.apply((T) value)));
        resolved.clear();
    }

    DisplayData render(Object value) {
        if (value instanceof DisplayData data) {
            return data;
        }
        if (value instanceof MimeBundle bundle) {
            return toDisplayData(bundle, null);
        }
        if (value != null) {
            Registration registration = find(value.getClass());
            if (registration != null) {
                MimeBundle bundle = registration.render().apply(value);
                if (bundle != null) {
                    return toDisplayData(bundle, value);
                }
            }
        }
        if (value == null) {
            return new DisplayData("null");
        }
        return fallback.render(value);
    }

    private static DisplayData toDisplayData(MimeBundle bundle, Object value) {
        DisplayData data = new DisplayData();
        bundle.data().forEach(data::putData);
        bundle.metadata().forEach(data::putMetaData);
        if (!bundle.data().containsKey("text/plain")) {
            data.putText(value != null ? String.valueOf(value) : plainTextFor(bundle));
        }
        return data;
    }

    /** What a text-only front end shows for a bundle that has no text/plain of its own. */
    private static String plainTextFor(MimeBundle bundle) {
        for (String textual : new String[] {"text/markdown", "text/html"}) {
            Object content = bundle.data().get(textual);
            if (content instanceof String text) {
                return textual.equals("text/html") ? text.replaceAll("<[^>]*>", "") : text;
            }
        }
        return "<" + String.join(", ", bundle.data().keySet()) + ">";
    }

    /** The most specific registered type: the class itself, then superclasses, then interfaces. */
    private Registration find(Class<?> type) {
        if (registrations.isEmpty()) {
            return null;
        }
        Registration cached = resolved.get(type);
        if (cached != null) {
            return cached;
        }
        Deque<Class<?>> queue = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        queue.add(type);
        while (!queue.isEmpty()) {
            Class<?> next = queue.poll();
            if (!seen.add(next)) {
                continue;
            }
            for (Registration registration : registrations) {
                if (registration.type() == next) {
                    resolved.put(type, registration);
                    return registration;
                }
            }
            if (next.getSuperclass() != null) {
                queue.add(next.getSuperclass());
            }
            queue.addAll(List.of(next.getInterfaces()));
        }
        return null;
    }
}
