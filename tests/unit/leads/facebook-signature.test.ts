import crypto from 'node:crypto';
import { facebookDeliveries, verifyFacebookSignature } from '../../../server/inbound/facebook';
import { facebookSignature } from '../../../scripts/facebook-sim';

const secret = 'app-secret-for-tests';
const body = Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1, messaging: [] }] }));
const sign = (raw: Buffer, key = secret) => `sha256=${crypto.createHmac('sha256', key).update(raw).digest('hex')}`;

describe('X-Hub-Signature-256 of a Facebook webhook', () => {
  test('When the body is signed with the app secret, then it is genuine (also upper-case hex)', () => {
    expect(verifyFacebookSignature(body, sign(body), secret)).toBe(true);
    expect(verifyFacebookSignature(body, `sha256=${sign(body).slice(7).toUpperCase()}`, secret)).toBe(true);
    expect(verifyFacebookSignature(body, facebookSignature(body, secret), secret)).toBe(true);
  });

  test.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the old sha1 header form', `sha1=${crypto.createHmac('sha1', secret).update(body).digest('hex')}`],
    ['another secret', sign(body, 'other-secret')],
    ['a cut signature', sign(body).slice(0, 40)],
    ['no prefix', sign(body).slice(7)],
  ])('When the request carries %s, then it is refused', (_what, header) => {
    expect(verifyFacebookSignature(body, header, secret)).toBe(false);
  });

  test('When one byte of the body changes (e.g. re-serialised JSON), then the signature no longer matches', () => {
    const signature = sign(body);
    const changed = Buffer.from(body.toString().replace('"time":1', '"time": 1'));
    expect(verifyFacebookSignature(changed, signature, secret)).toBe(false);
  });
});

describe('the deliveries of a Facebook webhook', () => {
  test('When a webhook carries a message, an echo, a receipt and a lead-ads form, then it is a message, an echo and a lead form', () => {
    const { deliveries, ignored } = facebookDeliveries({
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          time: 1,
          messaging: [
            { sender: { id: 'PSID1' }, recipient: { id: 'PAGE' }, timestamp: 1, message: { mid: 'm_1', text: 'giá bao nhiêu?' } },
            { sender: { id: 'PAGE' }, recipient: { id: 'PSID1' }, timestamp: 2, message: { mid: 'm_2', text: 'dạ 350k', is_echo: true } },
            { sender: { id: 'PSID1' }, recipient: { id: 'PAGE' }, timestamp: 3, delivery: { mids: ['m_2'] } },
          ],
          changes: [
            { field: 'leadgen', value: { leadgen_id: '55459717045641545', form_id: 551111744595541, page_id: 516540199134611, ad_id: 0 } },
          ],
        },
      ],
    });
    expect(ignored).toBe(1);
    expect(deliveries).toEqual([
      expect.objectContaining({ dedupeKey: 'facebook:mid:m_1', kind: 'message', contact: 'facebook:PAGE:PSID1' }),
      expect.objectContaining({ dedupeKey: 'facebook:mid:m_2', kind: 'echo', contact: 'facebook:PAGE:PSID1' }),
      expect.objectContaining({ dedupeKey: 'facebook:leadgen:55459717045641545', kind: 'lead-form', contact: null }),
    ]);
  });

  test('When a message lacks its mid, then the webhook is refused naming the field', () => {
    expect(() =>
      facebookDeliveries({
        object: 'page',
        entry: [{ id: 'P', messaging: [{ sender: { id: 'A' }, recipient: { id: 'P' }, message: { text: 'x' } }] }],
      }),
    ).toThrow('entry[0].messaging[0].message.mid');
  });

  test('When the object is not a page (e.g. instagram), then nothing is taken', () => {
    expect(facebookDeliveries({ object: 'instagram', entry: [] })).toEqual({ deliveries: [], ignored: 1 });
  });
});
