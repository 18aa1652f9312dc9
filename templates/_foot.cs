<?cs # _foot.cs: bottom of the layout, with the language switch (a POST form: works without JavaScript). ?>
</main>
<footer class="bottom">
<form method="post" action="/idioma" class="lang">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="volver" value="<?cs var:Req.path ?>">
<span><?cs var:Lang.layout.language ?>:</span>
<button type="submit" name="lang" value="es"<?cs if:Req.lang == "es" ?> aria-current="true" disabled<?cs /if ?>>Español</button>
<button type="submit" name="lang" value="en"<?cs if:Req.lang == "en" ?> aria-current="true" disabled<?cs /if ?>>English</button>
</form>
<p><?cs var:Lang.layout.footer ?></p>
</footer>
</body>
</html>
