package dev.pouch.server.config;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/** The broker connection: embedded (in this JVM) unless {@code pouch.broker.urls} names one. */
@Configuration(proxyBeanMethods = false)
class BrokerConfiguration {

    /** The embedded broker, if one runs, and the locator clients use. */
    record Broker(Optional<EmbeddedBroker> embedded, ServerLocator locator) implements AutoCloseable {
        @Override
        public void close() {
            locator.close();
            embedded.ifPresent(EmbeddedBroker::close);
        }
    }

    @Bean(destroyMethod = "close")
    Broker broker(PouchProperties properties) throws Exception {
        PouchProperties.Broker config = properties.broker();
        Optional<EmbeddedBroker> embedded = Optional.empty();
        String url;
        if (config.embedded()) {
            embedded = Optional.of(EmbeddedBroker.start(properties.dataDir(), config.maxDeliveryAttempts(), config.redeliveryDelay()));
            url = EmbeddedBroker.IN_VM_URL;
        } else {
            url = config.urls().size() == 1 ? config.urls().getFirst()
                    : "(" + String.join(",", config.urls()) + ")?ha=true&reconnectAttempts=-1";
        }
        ServerLocator locator = ActiveMQClient.createServerLocator(url)
                .setBlockOnDurableSend(true)
                .setBlockOnAcknowledge(true)
                .setAckBatchSize(0)
                .setConsumerWindowSize(0)
                .setReconnectAttempts(-1);
        return new Broker(embedded, locator);
    }

    @Bean
    ServerLocator serverLocator(Broker broker) {
        return broker.locator();
    }
}
