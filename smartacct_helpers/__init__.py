"""smartacct: small customers, field visits, inside sales and key accounts, from ERP and CRM exports."""
from .exceptions import InputDataError, ParamsError, Problem, ReportError, SmartacctError
from .params import Params, load_params

__version__ = "0.1.0"

__all__ = ["InputDataError", "ParamsError", "Params", "Problem", "ReportError", "SmartacctError", "load_params"]
