<?cs # sala.cs: Mi sala: the fixed link, the lobby flag, standing participants; works without JavaScript. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.sala.heading ?></h1>
<?cs if:subcount(Form.errors) > 0 ?><div class="error" role="alert" id="form-errors"><p><?cs var:Lang.sala.fix ?></p><ul>
<?cs each:e = Form.errors ?><li><?cs var:e ?></li><?cs /each ?></ul></div><?cs /if ?>
<section class="card" aria-labelledby="link-h">
<h2 id="link-h"><?cs var:Lang.sala.link_heading ?></h2>
<p class="hint"><?cs var:Lang.sala.link_hint ?></p>
<p><label for="link"><?cs var:Lang.sala.link ?></label>
<input id="link" type="text" readonly value="<?cs var:Sala.link ?>"></p>
<p><a class="btn" href="<?cs var:Sala.path ?>"><?cs var:Lang.sala.enter ?></a></p>
</section>
<section class="card" aria-labelledby="lobby-h">
<h2 id="lobby-h"><?cs var:Lang.sala.lobby.heading ?></h2>
<p><?cs if:Sala.lobby ?><?cs var:Lang.sala.lobby.on ?><?cs else ?><?cs var:Lang.sala.lobby.off ?><?cs /if ?></p>
<p class="hint"><?cs var:Lang.sala.lobby.hint ?></p>
<form method="post" action="/sala">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="espera" value="<?cs if:Sala.lobby ?>0<?cs else ?>1<?cs /if ?>">
<button type="submit" name="accion" value="sala_espera"><?cs if:Sala.lobby ?><?cs var:Lang.sala.lobby.turn_off ?><?cs else ?><?cs var:Lang.sala.lobby.turn_on ?><?cs /if ?></button>
</form>
</section>
<section class="card" aria-labelledby="people-h">
<h2 id="people-h"><?cs var:Lang.sala.people ?></h2>
<ul class="meetings">
<li><?cs var:Sala.owner ?> — <?cs var:Lang.sala.role.owner ?></li>
<?cs each:m = Members ?><li><form method="post" action="/sala" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="rfc" value="<?cs var:m.rfc ?>">
<?cs var:m.name ?> (<?cs var:m.rfc ?>) — <?cs if:m.role == "moderator" ?><?cs var:Lang.sala.role.moderator ?><?cs else ?><?cs var:Lang.sala.role.participant ?><?cs /if ?>
<span class="when"><label for="rol-<?cs name:m ?>" class="inline"><?cs var:Lang.sala.role.label ?></label>
<select id="rol-<?cs name:m ?>" name="rol"><option value="moderador"<?cs if:m.role == "moderator" ?> selected<?cs /if ?>><?cs var:Lang.sala.role.moderator ?></option><option value="participante"<?cs if:m.role != "moderator" ?> selected<?cs /if ?>><?cs var:Lang.sala.role.participant ?></option></select>
<button type="submit" name="accion" value="rol" class="btn-small"><?cs var:Lang.sala.role.change ?></button>
<button type="submit" name="accion" value="quitar" class="btn-small danger"><?cs var:Lang.sala.remove ?></button></span>
</form></li>
<?cs /each ?></ul>
<?cs if:subcount(Members) == 0 ?><p class="hint"><?cs var:Lang.sala.none ?></p><?cs /if ?>
</section>
<section class="card" aria-labelledby="add-h">
<h2 id="add-h"><?cs var:Lang.sala.add.heading ?></h2>
<form method="post" action="/sala" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<p><label for="personas"><?cs var:Lang.sala.add.label ?></label>
<span class="hint" id="personas-hint"><?cs var:Lang.sala.add.hint ?></span>
<textarea id="personas" name="personas" rows="4" aria-describedby="personas-hint"<?cs if:subcount(Form.errors) > 0 && Form.personas ?> aria-invalid="true"<?cs /if ?>><?cs var:Form.personas ?></textarea></p>
<p><button type="submit" name="accion" value="agregar" class="btn"><?cs var:Lang.sala.add.button ?></button></p>
</form>
</section>
<section class="card" aria-labelledby="regen-h">
<h2 id="regen-h"><?cs var:Lang.sala.regen.heading ?></h2>
<p class="hint"><?cs var:Lang.sala.regen.hint ?></p>
<form method="post" action="/sala">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<button type="submit" name="accion" value="regenerar" class="danger"><?cs var:Lang.sala.regen.button ?></button>
</form>
</section>
<?cs include:"_foot.cs" ?>
