import { describe, expect, it } from 'vitest';
import { child, descend, parseXml } from '../xml.js';
import { referenceParameterHeaders } from './soap.js';

function headersOf(xml: string): string {
  const root = parseXml(xml);
  return referenceParameterHeaders(descend(root, 'SubscriptionReference', 'ReferenceParameters'), xml);
}

describe('referenceParameterHeaders', () => {
  it('copies each parameter with the namespaces it inherited and marks it IsReferenceParameter', () => {
    const xml =
      '<r xmlns:a="urn:a" xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:SubscriptionReference>' +
      '<wsa:Address>http://10.0.0.9/onvif/services</wsa:Address><wsa:ReferenceParameters>' +
      '<a:Id x="1&gt;2">7</a:Id><b:Key xmlns:b="urn:b"><b:Part/></b:Key><Plain xmlns="urn:c"/><a:Empty/>' +
      '</wsa:ReferenceParameters></wsa:SubscriptionReference></r>';
    const mark = ' xmlns:wsaRP="http://www.w3.org/2005/08/addressing" wsaRP:IsReferenceParameter="true"';
    // `wsa` is declared with the same URI on every request envelope, so it is not repeated.
    expect(headersOf(xml)).toBe(
      `<a:Id x="1&gt;2" xmlns:a="urn:a"${mark}>7</a:Id>` +
        `<b:Key xmlns:b="urn:b" xmlns:a="urn:a"${mark}><b:Part/></b:Key>` +
        `<Plain xmlns="urn:c" xmlns:a="urn:a"${mark}/>` +
        `<a:Empty xmlns:a="urn:a"${mark}/>`,
    );
  });

  it('re-declares a prefix the envelope uses for another namespace, and the result parses', () => {
    const xml =
      '<r xmlns:tt="urn:vendor"><SubscriptionReference><ReferenceParameters><tt:Sub>42</tt:Sub>' +
      '</ReferenceParameters></SubscriptionReference></r>';
    const out = headersOf(xml);
    expect(out).toBe(
      '<tt:Sub xmlns:tt="urn:vendor" xmlns:wsaRP="http://www.w3.org/2005/08/addressing" wsaRP:IsReferenceParameter="true">42</tt:Sub>',
    );
    const sub = child(parseXml(`<h>${out}</h>`), 'Sub');
    expect([sub?.ns, sub?.attrs.IsReferenceParameter, sub?.text]).toEqual(['urn:vendor', 'true', '42']);
  });

  it('is empty without reference parameters', () => {
    expect(headersOf('<r><SubscriptionReference><Address>x</Address></SubscriptionReference></r>')).toBe('');
  });
});
