/*
 * shopflow lead form — paste into any page of the shop's website:
 *
 *   <script src="https://SHOPFLOW_HOST/embed/lead-form.js" data-product="Áo thun basic" async></script>
 *
 * It draws a small form (name, phone, note) where the tag is, or inside the element named by
 * data-target="#id", and posts it to SHOPFLOW_HOST/api/v1/public/leads. The page's origin must be
 * in PUBLIC_LEAD_ORIGINS. A hidden field (a honeypot) and the time the form was open keep bots out;
 * utm_campaign / utm_source of the page's address go with the lead.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var endpoint = new URL('/api/v1/public/leads', script.src).toString();
  var startedAt = Date.now();
  var submissionId = (
    window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + String(startedAt)
  ).replace(/[^A-Za-z0-9_-]/g, '');
  var params = new URLSearchParams(location.search);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    if (text) node.textContent = text;
    return node;
  }
  function field(name, label, type, required) {
    var wrap = el('label', { style: 'display:block;margin:0 0 8px' }, label);
    var input = el(type === 'textarea' ? 'textarea' : 'input', {
      name: name,
      style: 'display:block;width:100%;box-sizing:border-box;padding:6px',
    });
    if (type !== 'textarea') input.setAttribute('type', type);
    if (required) input.setAttribute('required', '');
    wrap.appendChild(input);
    return wrap;
  }

  var form = el('form', { class: 'shopflow-lead-form', novalidate: '' });
  form.appendChild(field('name', 'Họ tên', 'text', true));
  form.appendChild(field('phone', 'Số điện thoại', 'tel', true));
  form.appendChild(field('note', 'Bạn cần tư vấn gì?', 'textarea', false));
  // The honeypot: off-screen and skipped by keyboards and autofill; people leave it empty.
  var trap = el('input', {
    name: 'homepage',
    type: 'text',
    tabindex: '-1',
    autocomplete: 'off',
    'aria-hidden': 'true',
    style: 'position:absolute;left:-10000px;width:1px;height:1px',
  });
  form.appendChild(trap);
  var button = el('button', { type: 'submit' }, 'Gửi');
  var status = el('p', { role: 'status', style: 'margin:8px 0 0' });
  form.appendChild(button);
  form.appendChild(status);

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var body = {
      name: String(data.get('name') || '').trim(),
      phone: String(data.get('phone') || '').trim(),
      submissionId: submissionId,
      startedAt: startedAt,
      page: location.href.slice(0, 500),
    };
    var note = String(data.get('note') || '').trim();
    if (note) body.note = note;
    if (script.dataset.product) body.product = script.dataset.product;
    if (params.get('utm_campaign')) body.campaign = params.get('utm_campaign');
    if (params.get('utm_source')) body.source = params.get('utm_source');
    if (trap.value) body.homepage = trap.value;
    button.disabled = true;
    status.textContent = 'Đang gửi…';
    fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().then(function (answer) {
          if (res.ok) {
            form.replaceChildren(el('p', { role: 'status' }, answer.message || 'Cảm ơn bạn!'));
            return;
          }
          var fields = (answer.error && answer.error.details && answer.error.details.fields) || [];
          status.textContent = fields.length
            ? fields
                .map(function (f) {
                  return f.message;
                })
                .join('; ')
            : (answer.error && answer.error.message) || 'Chưa gửi được, vui lòng thử lại.';
          button.disabled = false;
        });
      })
      .catch(function () {
        status.textContent = 'Chưa gửi được, vui lòng thử lại.';
        button.disabled = false;
      });
  });

  var target = script.dataset.target ? document.querySelector(script.dataset.target) : null;
  if (target) target.appendChild(form);
  else script.parentNode.insertBefore(form, script.nextSibling);
})();
