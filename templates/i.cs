<?cs # i.cs: an invited guest's personal link: the meeting, who they enter as, one button. ?><?cs include:"_head.cs" ?>
<section class="card">
<h1><?cs var:Lang.guest.invited.heading ?></h1>
<dl class="facts">
<dt><?cs var:Lang.guest.invited.meeting ?></dt><dd><?cs var:M.name ?></dd>
<?cs if:M.kind == "scheduled" ?><dt><?cs var:Lang.meeting.detail.when ?></dt><dd><?cs var:M.start ?></dd>
<dt><?cs var:Lang.meeting.field.minutes ?></dt><dd><?cs var:M.minutes ?></dd>
<?cs /if ?><dt><?cs var:Lang.meeting.detail.owner ?></dt><dd><?cs var:M.owner ?></dd>
<?cs if:!G.ask ?><dt><?cs var:Lang.guest.invited.as ?></dt><dd><?cs var:G.name ?></dd><?cs /if ?>
<dt><?cs var:Lang.guest.invited.role ?></dt><dd><?cs if:G.moderator ?><?cs var:Lang.meeting.role.moderator ?><?cs else ?><?cs var:Lang.meeting.role.participant ?><?cs /if ?></dd>
</dl>
<form method="post" action="<?cs var:G.path ?>" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<?cs if:G.ask ?><p><label for="nombre"><?cs var:Lang.guest.name ?></label>
<span class="hint" id="nombre-hint"><?cs var:Lang.guest.name_hint ?></span>
<?cs if:Form.err.nombre ?><span class="error" id="nombre-err" role="alert"><?cs var:Form.err.nombre ?></span><?cs /if ?>
<input id="nombre" name="nombre" type="text" maxlength="80" required autocomplete="name" value="<?cs var:Form.nombre ?>"
 aria-describedby="nombre-hint<?cs if:Form.err.nombre ?> nombre-err<?cs /if ?>"<?cs if:Form.err.nombre ?> aria-invalid="true"<?cs /if ?>></p>
<?cs /if ?><p><button type="submit" class="btn"><?cs var:Lang.guest.invited.button ?></button></p>
</form>
<p class="hint"><?cs var:Lang.guest.invited.hint ?></p>
</section>
<?cs include:"_foot.cs" ?>
