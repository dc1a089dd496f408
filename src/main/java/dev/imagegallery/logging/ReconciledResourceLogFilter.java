package dev.imagegallery.logging;

import io.javaoperatorsdk.operator.processing.MDCUtils;
import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Names the object being reconciled in every log line written during its reconcile. java-operator-sdk
 * puts it in the MDC as separate keys (resource.kind, resource.namespace, resource.name); this joins
 * them into one key, {@value #KEY}, such as {@code ImageVersion team-a/ubuntu-22.04-1.0.0} or
 * {@code Region westeurope}, so that the text format can print it and print nothing outside a
 * reconcile. The JSON format carries all of them in its "mdc" object.
 */
@LoggingFilter(name = "reconciled-resource")
public final class ReconciledResourceLogFilter implements Filter {
    public static final String KEY = "resource";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord logRecord) {
            String name = logRecord.getMdc("resource.name");
            if (name != null) {
                String namespace = logRecord.getMdc("resource.namespace");
                boolean clusterScoped = namespace == null || MDCUtils.NO_NAMESPACE.equals(namespace);
                logRecord.putMdc(
                        KEY, logRecord.getMdc("resource.kind") + " " + (clusterScoped ? name : namespace + "/" + name));
            }
        }
        return true;
    }
}
