const { Kafka, logLevel } = require('kafkajs');
const [broker, topic] = process.argv.slice(2);
(async () => {
  const kafka = new Kafka({ clientId: 'check', brokers: [broker], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: 'check-' + topic + '-' + Date.now() });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let n = 0; let failed = null;
  const done = new Promise(resolve => setTimeout(resolve, 8000));
  consumer.on(consumer.events.CRASH, e => { failed = e.payload.error.message; });
  await consumer.run({ eachMessage: async () => { n++; } });
  await done; await consumer.disconnect();
  console.log(topic + ': read ' + n + (failed ? ', crashed: ' + failed : ''));
  process.exit(0);
})().catch(e => { console.log(topic + ': error ' + e.message); process.exit(0); });
