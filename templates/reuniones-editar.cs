<?cs # reuniones-editar.cs: edit a meeting (its owner): the same fields as reuniones-nueva.cs, filled in. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.meeting.edit.heading ?></h1>
<section class="card">
<?cs if:Form.instant ?><p class="hint"><?cs var:Lang.meeting.edit.instant_hint ?></p><?cs /if ?>
<p class="hint"><?cs var:Lang.meeting.edit.hint ?></p>
<form method="post" action="/reuniones/<?cs var:M.id ?>/editar" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<?cs include:"_mform.cs" ?>
<?cs if:M.series ?><fieldset><legend><?cs var:Lang.recur.apply ?></legend>
<label><input type="radio" name="aplicar" value="esta"<?cs if:Form.aplicar != "siguientes" ?> checked<?cs /if ?>> <?cs var:Lang.recur.apply_one ?></label>
<label><input type="radio" name="aplicar" value="siguientes"<?cs if:Form.aplicar == "siguientes" ?> checked<?cs /if ?>> <?cs var:Lang.recur.apply_following ?></label>
<p class="hint"><?cs var:Lang.recur.apply_hint ?></p></fieldset><?cs /if ?>
<p><button type="submit" class="btn"><?cs var:Lang.meeting.edit.save ?></button>
<a href="/reuniones/<?cs var:M.id ?>"><?cs var:Lang.meeting.edit.back ?></a></p>
</form>
</section>
<?cs include:"_foot.cs" ?>
