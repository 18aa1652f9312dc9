<?cs # j-guest.cs: a meeting link opened without a session: sign in, or enter as a guest with a name. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.guest.heading ?></h1>
<p class="lead"><?cs var:M.name ?></p>
<section class="card" aria-labelledby="guest-h">
<h2 id="guest-h"><?cs var:Lang.guest.open.heading ?></h2>
<p class="hint"><?cs var:Lang.guest.open.hint ?></p>
<form method="post" action="<?cs var:M.path ?>" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<p><label for="nombre"><?cs var:Lang.guest.name ?></label>
<span class="hint" id="nombre-hint"><?cs var:Lang.guest.name_hint ?></span>
<?cs if:Form.err.nombre ?><span class="error" id="nombre-err" role="alert"><?cs var:Form.err.nombre ?></span><?cs /if ?>
<input id="nombre" name="nombre" type="text" maxlength="80" required autocomplete="name" value="<?cs var:Form.nombre ?>"
 aria-describedby="nombre-hint<?cs if:Form.err.nombre ?> nombre-err<?cs /if ?>"<?cs if:Form.err.nombre ?> aria-invalid="true"<?cs /if ?>></p>
<?cs if:M.need_email ?><p><label for="correo"><?cs var:Lang.guest.email ?></label>
<?cs if:Form.err.correo ?><span class="error" id="correo-err" role="alert"><?cs var:Form.err.correo ?></span><?cs /if ?>
<input id="correo" name="correo" type="email" maxlength="254" required autocomplete="email" inputmode="email" value="<?cs var:Form.correo ?>"<?cs if:Form.err.correo ?> aria-invalid="true" aria-describedby="correo-err"<?cs /if ?>></p>
<?cs /if ?><p><button type="submit" class="btn"><?cs var:Lang.guest.open.button ?></button></p>
</form>
</section>
<section class="card" aria-labelledby="staff-h">
<h2 id="staff-h"><?cs var:Lang.guest.open.staff ?></h2>
<p><a class="btn" href="<?cs var:M.signin ?>"><?cs var:Lang.guest.open.signin ?></a></p>
</section>
<?cs include:"_foot.cs" ?>
