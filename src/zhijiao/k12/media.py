# Temporary: the service hall imports serve_file from here until it imports it from zhijiao.core.files.
from zhijiao.core.files import serve_file as serve_file
