/**
 * The peer of the HTTP ingest benchmark: a bare Express handler that parses the same JSON body as the
 * reference server (same 1 MB limit) and answers 202 with the same response shape, storing nothing.
 * Listens on PORT (127.0.0.1) and prints `listening <port>`.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));
app.post('/api/v1/kpi/observations', (req, res) => {
  const n = (req.body as { observations: unknown[] }).observations.length;
  res.status(202).json({ accepted: n, duplicates: 0, rejected: [] });
});
app.post('/api/v1/environment/stations/:id/readings', (req, res) => {
  const n = (req.body as { readings: unknown[] }).readings.length;
  res.status(202).json({ accepted: n, duplicates: 0 });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
