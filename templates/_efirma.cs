<?cs # _efirma.cs: the e.firma fields inside a form (multipart). With JavaScript, static/js/efirma.js
     signs Form.nonce in the browser and sends only the certificate and the signature; without it,
     the three files go to the server, which signs and wipes them at once. ?>
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="challenge" value="<?cs var:Form.challenge ?>">
<input type="hidden" name="nonce" value="<?cs var:Form.nonce ?>">
<?cs if:Form.error ?><p class="error" role="alert" id="efirma-err"><?cs var:Form.error ?></p><?cs /if ?>
<p><label for="cer"><?cs var:Lang.efirma.cer ?></label>
<input id="cer" name="cer" type="file" accept=".cer,application/pkix-cert" required></p>
<p><label for="key"><?cs var:Lang.efirma.key ?></label>
<input id="key" name="key" type="file" accept=".key" required></p>
<p><label for="password"><?cs var:Lang.efirma.password ?></label>
<input id="password" name="password" type="password" autocomplete="off" required></p>
<p class="efirma-status hint" aria-live="polite"><?cs if:Form.server_signing == "1" ?><?cs var:Lang.efirma.privacy ?><?cs else ?><?cs var:Lang.efirma.js_only ?><?cs /if ?></p>
