package io.meshpilot.embedded.kubernetes;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;

/**
 * Answers a sandbox region's API requests: kubectl's discovery documents, the Deployments' scale subresource, and
 * everything else from fabric8's CRUD store.
 */
final class RegionDispatcher extends Dispatcher {

    private final Dispatcher store;
    private volatile ApiDiscovery discovery;

    RegionDispatcher(Dispatcher store) {
        this.store = store;
    }

    void serveDiscovery(ApiDiscovery documents) {
        this.discovery = documents;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        return discovery(request)
                .or(() -> ScaleSubresource.handle(request, store))
                .orElseGet(() -> store.dispatch(request));
    }

    private Optional<MockResponse> discovery(RecordedRequest request) {
        ApiDiscovery documents = discovery;
        if (documents == null || !"GET".equals(request.getMethod())) {
            return Optional.empty();
        }
        String path = request.getPath().contains("?")
                ? request.getPath().substring(0, request.getPath().indexOf('?')) : request.getPath();
        return documents.document(path).map(document -> new MockResponse().setResponseCode(200)
                .setHeader("Content-Type", "application/json").setBody(document));
    }

    @Override
    public void shutdown() {
        store.shutdown();
    }

    @Override
    public void releaseResources() {
        store.releaseResources();
    }
}
