"""The package's PEP 517 backend: setuptools' (with setup.py) when setuptools and wheel are both
installed, else a wheel zipped here from the same files. So ``pip install ./python`` and ``pip
install --no-build-isolation ./python`` both work offline, whatever this Python has installed."""
import base64
import hashlib
import os
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

try:
    import setuptools.build_meta as _setuptools
    import wheel  # noqa: F401  (setuptools < 70 builds wheels with it)
except ImportError:
    _setuptools = None


def _project():
    text = (HERE / "pyproject.toml").read_text()
    section = text.split("[project]", 1)[1].split("\n[", 1)[0]
    fields = dict(re.findall(r'^([\w-]+) = "(.*)"$', section, re.M))
    return fields["name"], fields["version"], fields["description"], fields["requires-python"]


def _metadata():
    name, version, description, python = _project()
    readme = (HERE / "README.md").read_text()
    return (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {description}\nLicense: MIT\n"
            f"Requires-Python: {python}\nProvides-Extra: numpy\nRequires-Dist: numpy; extra == \"numpy\"\n"
            f"Description-Content-Type: text/markdown\n\n{readme}")


def built_library():
    """A built libipclab to put in the wheel: IPCLAB_LIBRARY, or the clone's build; None without one."""
    named = os.environ.get("IPCLAB_LIBRARY")
    root = HERE.parent
    places = [Path(named)] if named else [root / "build" / "Release" / "libipclab.so", root / "build-cmake" / "Release" / "libipclab.so"]
    return next((place for place in places if place.is_file()), None)


def _dist_info(directory):
    name, version, _, _ = _project()
    info = Path(directory) / f"{name}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(_metadata())
    tag = "py3-none-linux_x86_64" if built_library() else "py3-none-any"
    (info / "WHEEL").write_text(f"Wheel-Version: 1.0\nGenerator: ipclab build_backend\nRoot-Is-Purelib: {'false' if built_library() else 'true'}\nTag: {tag}\n")
    return info.name, tag


def get_requires_for_build_wheel(config_settings=None):
    return _setuptools.get_requires_for_build_wheel(config_settings) if _setuptools else []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    if _setuptools:
        return _setuptools.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
    return _dist_info(metadata_directory)[0]


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    if _setuptools:
        return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    import tempfile

    name, version, _, _ = _project()
    with tempfile.TemporaryDirectory() as scratch:
        info_name, tag = _dist_info(scratch)
        files = [(path, f"ipclab/{path.name}") for path in sorted((HERE / "ipclab").glob("*.py"))]
        library = built_library()
        if library:
            files.append((library, "ipclab/libipclab.so"))
        files += [(path, f"{info_name}/{path.name}") for path in sorted((Path(scratch) / info_name).iterdir())]
        wheel_name = f"{name}-{version}-{tag}.whl"
        record = []
        with zipfile.ZipFile(Path(wheel_directory) / wheel_name, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, arcname in files:
                data = Path(path).read_bytes()
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                archive.writestr(arcname, data)
                record.append(f"{arcname},sha256={digest},{len(data)}")
            record.append(f"{info_name}/RECORD,,")
            archive.writestr(f"{info_name}/RECORD", "\n".join(record) + "\n")
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    if _setuptools:
        return _setuptools.build_sdist(sdist_directory, config_settings)
    raise RuntimeError("building a source distribution needs setuptools and wheel; install from the directory instead")

