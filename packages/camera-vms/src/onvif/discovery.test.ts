import { afterEach, describe, expect, it } from 'vitest';
import { isCameraError } from '../errors.js';
import { startDiscoveryResponder, type DiscoveryResponder } from '../testing/discovery-responder.js';
import { discoverOnvifDevices, parseProbeMatches, probeMessage } from './discovery.js';

const responders: DiscoveryResponder[] = [];
afterEach(async () => {
  for (const r of responders.splice(0)) await r.close();
});

describe('WS-Discovery', () => {
  it('builds a Probe for NetworkVideoTransmitter', () => {
    const p = probeMessage('0f1e2d3c-0000-4000-8000-000000000000');
    expect(p).toContain('<a:MessageID>urn:uuid:0f1e2d3c-0000-4000-8000-000000000000</a:MessageID>');
    expect(p).toContain('<d:Types>dn:NetworkVideoTransmitter</d:Types>');
    expect(p).toContain('http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>');
  });

  it('finds a camera over UDP multicast on loopback', async () => {
    const r = await startDiscoveryResponder({
      addresses: ['http://127.0.0.1:8080/onvif/device_service'],
      multicast: true,
    });
    responders.push(r);
    const devices = await discoverOnvifDevices({
      port: r.port,
      interfaceAddress: '127.0.0.1',
      timeoutMs: 400,
    });
    expect(devices).toEqual([
      {
        endpoint: 'urn:uuid:5f5a69c2-e0ae-504f-829b-00ba00000001',
        addresses: ['http://127.0.0.1:8080/onvif/device_service'],
        types: ['dn:NetworkVideoTransmitter'],
        scopes: [
          'onvif://www.onvif.org/type/video_encoder',
          'onvif://www.onvif.org/Profile/Streaming',
          'onvif://www.onvif.org/Profile/T',
          'onvif://www.onvif.org/name/DTTM%20Simulator',
          'onvif://www.onvif.org/hardware/SIM-PTZ-4MP',
          'onvif://www.onvif.org/location/B%E1%BA%AFc%20Giang',
        ],
        name: 'DTTM Simulator',
        hardware: 'SIM-PTZ-4MP',
        location: 'Bắc Giang',
        from: '127.0.0.1',
      },
    ]);
    expect(r.probes).toBe(1);
  });

  it('de-duplicates by endpoint and ignores answers to other probes', async () => {
    const a = await startDiscoveryResponder({ addresses: ['http://127.0.0.1:1/a'] });
    responders.push(a);
    const devices = await discoverOnvifDevices({ address: '127.0.0.1', port: a.port, timeoutMs: 200 });
    expect(devices.map((d) => d.addresses[0])).toEqual(['http://127.0.0.1:1/a']);
    const stale = parseProbeMatches(
      '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Header><w:RelatesTo>urn:uuid:other</w:RelatesTo></e:Header><e:Body><d:ProbeMatches><d:ProbeMatch><w:EndpointReference><w:Address>urn:uuid:x</w:Address></w:EndpointReference><d:XAddrs>http://a/ http://b/</d:XAddrs></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>',
      '10.0.0.1',
    );
    expect(stale.relatesTo).toBe('urn:uuid:other');
    expect(stale.devices[0]?.addresses).toEqual(['http://a/', 'http://b/']);
  });

  it('skips hostile answers and reports them', async () => {
    const r = await startDiscoveryResponder({
      addresses: [],
      rawAnswer: '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
    });
    responders.push(r);
    const invalid: string[] = [];
    const devices = await discoverOnvifDevices({
      address: '127.0.0.1',
      port: r.port,
      timeoutMs: 200,
      onInvalid: (e) => invalid.push(e.code),
    });
    expect(devices).toEqual([]);
    expect(invalid).toEqual(['XML_FORBIDDEN']);
  });

  it('is cancellable', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    try {
      await discoverOnvifDevices({ address: '127.0.0.1', port: 9, timeoutMs: 5000, signal: ctl.signal });
      expect.unreachable();
    } catch (err) {
      expect(isCameraError(err) && err.code).toBe('ABORTED');
    }
  });
});
