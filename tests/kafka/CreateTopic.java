// Creates topics on a broker through Kafka's Admin API, for tests that need
// a topic made a certain way (partitions, compaction) before anything is
// produced: run as a single source file with the broker's jars,
//   java -cp "$KAFKA_LIB/*" CreateTopic.java HOST:PORT NAME:PARTITIONS[:KEY=VALUE,...] ...
// Every topic keeps its messages for ever (retention.ms=-1): the tests'
// events are stamped in 2024, and the default seven days would let the
// broker delete them at once.
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

public class CreateTopic {
	public static void main(String[] a) throws Exception {
		Properties p = new Properties();
		p.put("bootstrap.servers", a[0]);
		try (Admin admin = Admin.create(p)) {
			for (int i = 1; i < a.length; i++) {
				String[] t = a[i].split(":", 3);
				Map<String, String> configs = new HashMap<>(Map.of("retention.ms", "-1"));
				if (t.length == 3)
					for (String kv : t[2].split(",")) {
						String[] e = kv.split("=", 2);
						configs.put(e[0], e[1]);
					}
				admin.createTopics(List.of(new NewTopic(t[0], Integer.parseInt(t[1]), (short) 1)
					.configs(configs))).all().get();
			}
		}
	}
}
