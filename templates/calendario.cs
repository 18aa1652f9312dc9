<?cs # calendario.cs: the personal calendar feed's secret address, how to subscribe, a new address. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.mail.cal.title ?></h1>
<section class="card">
<p><?cs var:Lang.mail.cal.intro ?></p>
<p><label for="calurl"><?cs var:Lang.mail.cal.url ?></label>
<input id="calurl" type="text" readonly value="<?cs var:Cal.url ?>"></p>
<p><a href="<?cs var:Cal.path ?>"><?cs var:Lang.mail.cal.download ?></a></p>
<p class="hint"><?cs var:Lang.mail.cal.secret ?></p>
<ul>
<li><?cs var:Lang.mail.cal.outlook ?></li>
<li><?cs var:Lang.mail.cal.thunderbird ?></li>
<li><?cs var:Lang.mail.cal.phone ?></li>
</ul>
<form method="post" action="/calendario">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<button type="submit" name="accion" value="regenerar" class="danger"><?cs var:Lang.mail.cal.regenerate ?></button>
</form>
</section>
<?cs include:"_foot.cs" ?>
