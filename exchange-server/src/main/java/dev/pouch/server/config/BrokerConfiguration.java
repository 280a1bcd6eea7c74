package dev.pouch.server.config;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/** The broker connection: embedded (in this JVM) unless {@code pouch.broker.url} names one or several. */
@Configuration(proxyBeanMethods = false)
class BrokerConfiguration {

    /** The embedded broker, if one runs, and the client everything else uses. */
    record Broker(Optional<EmbeddedBroker> embedded, BrokerClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            embedded.ifPresent(EmbeddedBroker::close);
        }
    }

    @Bean(destroyMethod = "close")
    Broker broker(PouchProperties properties) throws Exception {
        PouchProperties.Broker config = properties.broker();
        Optional<EmbeddedBroker> embedded = Optional.empty();
        String url;
        if (config.embedded()) {
            embedded = Optional.of(EmbeddedBroker.start(properties.dataDir(), config.maxDeliveryAttempts(), config.redeliveryDelay(),
                    config.embeddedMemory().toBytes()));
            url = EmbeddedBroker.IN_VM_URL;
        } else {
            url = config.url().size() == 1 ? config.url().getFirst()
                    : "(" + String.join(",", config.url()) + ")?ha=true";
        }
        ServerLocator locator = ActiveMQClient.createServerLocator(url)
                .setBlockOnDurableSend(true)
                .setBlockOnAcknowledge(true)
                .setAckBatchSize(0)
                .setConsumerWindowSize(0)
                .setReconnectAttempts(-1);
        return new Broker(embedded, new BrokerClient(locator, config.username(),
                Optional.ofNullable(config.passwordFile()).map(Secrets::read)));
    }

    @Bean
    BrokerClient brokerClient(Broker broker) {
        return broker.client();
    }
}
